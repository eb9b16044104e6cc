import { ok } from '../../core/reply.ts';
import type { BbRoute } from '../api.ts';
import { bbError } from '../errors.ts';
import { filterAndSort, readJsonPath } from '../listing.ts';
import { ENVIRONMENTS } from '../model.ts';
import type { BbRepository } from '../model.ts';
import { DEFAULT_PAGING, numberedPage } from '../paging.ts';
import { deployment, deploymentStartedAt, environment, pipeline } from '../serialize-activity.ts';
import type { BitbucketWorld } from '../world.ts';
import { repoScope } from './repositories.ts';

/** Pipelines (with build minutes), deployments and deployment environments. */

// The pipelines list takes `sort` over these fields (its parameter's enum in the document) and
// lists oldest first unless told otherwise.
const PIPELINE_SORTS = ['created_on', 'creator.uuid', 'run_creation_date'];
const STATUS: Record<string, (p: ReturnType<typeof pipeline>) => boolean> = {
  PENDING: (p) => p.state.name === 'PENDING',
  BUILDING: (p) => p.state.name === 'IN_PROGRESS',
  PASSED: (p) => 'result' in p.state && p.state.result?.name === 'SUCCESSFUL',
  FAILED: (p) => 'result' in p.state && p.state.result?.name === 'FAILED',
  STOPPED: (p) => 'result' in p.state && p.state.result?.name === 'STOPPED',
};

export function pipelineRoutes(world: BitbucketWorld): BbRoute[] {
  const ws = world.workspace;
  const built = () => world.state.repositories.find((r) => r.hasPipelines && r.lastActiveDay > 0) as BbRepository;
  const base = () => `/repositories/${ws.slug}/${built().slug}`;
  return [
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/pipelines',
      handle(ctx) {
        const scope = repoScope(ctx);
        const sort = typeof ctx.query.sort === 'string' ? ctx.query.sort : 'created_on';
        if (!PIPELINE_SORTS.includes(sort.replace(/^-/, ''))) return bbError(400, `Invalid sort field: ${sort}`);
        let records = world.history(scope.repo).pipelines.filter((p) => p.createdOn <= ctx.now).map((p) => pipeline(p, scope));
        const status = ctx.query.status;
        if (typeof status === 'string') records = records.filter(STATUS[status] ?? (() => false));
        const createdOn = ctx.query.created_on;
        if (typeof createdOn === 'string') records = records.filter((p) => Date.parse(p.created_on) >= Date.parse(createdOn));
        const branch = ctx.query['target.branch'] ?? ctx.query['target.ref_name'];
        if (typeof branch === 'string') records = records.filter((p) => p.target.ref_name === branch);
        const fields = ['created_on', 'creator.uuid', 'run_creation_date'];
        const listed = filterAndSort(records, { sort }, { fields, defaultSort: null, read: (p, f) => readJsonPath(p, f === 'run_creation_date' ? 'created_on' : f) });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => [`${base()}/pipelines`, `${base()}/pipelines?sort=-created_on&pagelen=100`, `${base()}/pipelines?status=FAILED`, `${base()}/pipelines?sort=bogus`],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/deployments',
      handle(ctx) {
        const scope = repoScope(ctx);
        const visible = world
          .history(scope.repo)
          .deployments.filter((d) => deploymentStartedAt(d) <= ctx.now)
          .sort((a, b) => deploymentStartedAt(b) - deploymentStartedAt(a));
        return ok(numberedPage(visible, ctx.query, ctx.url, DEFAULT_PAGING, (d) => deployment(world.seed, d, scope)));
      },
      examples: () => [`${base()}/deployments`, `${base()}/deployments?pagelen=100`],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/environments',
      handle(ctx) {
        const scope = repoScope(ctx);
        const envs = scope.repo.hasPipelines ? ENVIRONMENTS.map((_, i) => environment(world.seed, i, scope)) : [];
        return ok(numberedPage(envs, ctx.query, ctx.url, DEFAULT_PAGING, (e) => e));
      },
      examples: () => [`${base()}/environments`],
    },
  ];
}
