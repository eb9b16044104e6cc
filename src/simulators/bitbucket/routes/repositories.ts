import { ReplyError, ok } from '../../core/reply.ts';
import type { BbRequestContext, BbRoute } from '../api.ts';
import { bbError } from '../errors.ts';
import { filterAndSort } from '../listing.ts';
import type { BbProject, BbRepository } from '../model.ts';
import { DEFAULT_PAGING, cursorPage, numberedPage } from '../paging.ts';
import { commit } from '../serialize-activity.ts';
import type { Scope } from '../serialize-activity.ts';
import * as json from '../serialize-core.ts';
import type { BitbucketWorld } from '../world.ts';

/** Repositories (per workspace, and the deprecated cross-workspace list) and their commits. */

const REPOSITORY_FIELDS = ['name', 'slug', 'full_name', 'uuid', 'created_on', 'updated_on', 'is_private', 'language', 'has_issues', 'project.key', 'project.name', 'size'];

/** The repository named in the path, and what serializers need around it. */
export function repoScope(ctx: BbRequestContext): Scope {
  const repo = ctx.world.repository(ctx.params.repo_slug ?? '');
  if (!repo || repo.createdOn > ctx.now)
    throw new ReplyError(bbError(404, `Repository ${ctx.params.workspace}/${ctx.params.repo_slug} not found`));
  return { ws: ctx.world.workspace, repo, links: ctx.links, member: (i) => ctx.world.member(i), now: ctx.now };
}

/**
 * `role=`: owners administer every repository; a member contributes to the repositories they
 * work in and can read the rest. Workspace-owned repositories have no personal owner.
 */
function hasRole(ctx: BbRequestContext, repo: BbRepository, role: string | undefined): boolean {
  const m = ctx.caller.member;
  if (!role || role === 'member') return true;
  if (role === 'owner') return false;
  if (m === null || m.permission === 'owner') return true;
  return role === 'contributor' && repo.contributors.includes(m.index);
}

function serializeRepository(ctx: BbRequestContext, world: BitbucketWorld) {
  const project = (key: string) => world.state.projects.find((p) => p.key === key) as BbProject;
  return (r: BbRepository) => json.repository(r, world.workspace, project(r.projectKey), world.repositoryUpdatedOn(r), ctx.links);
}

function roleOf(ctx: BbRequestContext): string | undefined {
  const role = ctx.query.role;
  if (role !== undefined && (typeof role !== 'string' || !['admin', 'contributor', 'member', 'owner'].includes(role)))
    throw new ReplyError(bbError(400, 'Invalid role'));
  return role;
}

export function repositoryRoutes(world: BitbucketWorld): BbRoute[] {
  const ws = world.workspace;
  const first = () => world.state.repositories[0] as BbRepository;
  return [
    {
      documentPath: '/repositories',
      // Without a role this lists every public repository on Bitbucket; here, this workspace's public ones.
      handle(ctx) {
        const role = roleOf(ctx);
        const after = typeof ctx.query.after === 'string' ? Date.parse(ctx.query.after) : null;
        if (after !== null && Number.isNaN(after)) return bbError(400, 'Invalid after');
        const repos = world.state.repositories.filter(
          (r) => r.createdOn <= ctx.now && (role ? hasRole(ctx, r, role) : !r.isPrivate) && (after === null || r.createdOn > after),
        );
        const listed = filterAndSort(repos.map(serializeRepository(ctx, world)), ctx.query, { fields: REPOSITORY_FIELDS, defaultSort: null });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => ['/repositories', '/repositories?role=member&pagelen=5'],
    },
    {
      documentPath: '/repositories/{workspace}',
      handle(ctx) {
        const role = roleOf(ctx);
        const repos = world.state.repositories.filter((r) => r.createdOn <= ctx.now && hasRole(ctx, r, role));
        const listed = filterAndSort(repos.map(serializeRepository(ctx, world)), ctx.query, { fields: REPOSITORY_FIELDS, defaultSort: null });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => [
        `/repositories/${ws.slug}`,
        `/repositories/${ws.slug}?pagelen=100`,
        `/repositories/${ws.slug}?role=contributor`,
        `/repositories/${ws.slug}?sort=-updated_on&pagelen=5`,
        `/repositories/${ws.slug}?q=updated_on%3E%3D%222020-01-01T00%3A00%3A00%2B00%3A00%22&page=2&pagelen=3`,
        `/repositories/${ws.slug}?q=name%3D`,
        `/repositories/${ws.slug}?page=999`,
      ],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}',
      handle: (ctx) => ok(serializeRepository(ctx, world)(repoScope(ctx).repo)),
      examples: () => [`/repositories/${ws.slug}/${first().slug}`, `/repositories/${ws.slug}/no-such-repository`],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/commits',
      handle(ctx) {
        const scope = repoScope(ctx);
        const commits = world.history(scope.repo).commits.filter((c) => c.date <= ctx.now);
        return ok(cursorPage(commits, ctx.query, ctx.url, 'page', (c) => commit(c, scope)));
      },
      examples: () => [`/repositories/${ws.slug}/${first().slug}/commits`, `/repositories/${ws.slug}/${first().slug}/commits?pagelen=100`, `/repositories/${ws.slug}/${first().slug}/commits?page=1`],
    },
  ];
}
