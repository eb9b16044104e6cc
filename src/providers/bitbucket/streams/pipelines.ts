import { defineStream } from '../../../sync/types.ts';
import type { ActivityFact } from '../../../sync/types.ts';
import { Deployment, Environment, Pipeline } from '../schemas.ts';
import { pages, repositoryChanged, repositoryPath, utcDay, withRepository } from './support.ts';

/**
 * Pipeline runs, newest first (the list is oldest first unless `sort=-created_on`), so an incremental pass
 * stops at the first page older than its cursor. A run still going at the cursor is not read again once
 * it finishes unless it is on a page the pass reads (its `build_seconds_used` is 0 until then).
 */
export const pipelines = defineStream({
  name: 'pipelines',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/pipelines`,
  query: { sort: '-created_on' },
  pagination: pages,
  shouldFetch: repositoryChanged,
  schema: Pipeline,
  id: (p) => p.uuid,
  incremental: { value: (p) => p.created_on, query: () => ({}), newestFirst: true },
  activity(p): ActivityFact[] {
    if (!p.creator) return [];
    const day = utcDay(p.created_on);
    const run: ActivityFact = { accountId: p.creator.uuid, day, feature: 'pipeline.run', count: 1 };
    // Build minutes per person and day, in seconds, once the run has finished and they are known.
    return p.build_seconds_used > 0 ? [run, { accountId: p.creator.uuid, day, feature: 'pipeline.build_seconds', count: p.build_seconds_used }] : [run];
  },
});

/** Deployments (the list has no filter or sort parameters: a full pass per changed repository). */
export const deployments = defineStream({
  name: 'deployments',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/deployments`,
  pagination: pages,
  shouldFetch: repositoryChanged,
  extract: withRepository,
  schema: Deployment,
  id: (d) => d.uuid,
});

export const environments = defineStream({
  name: 'environments',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/environments`,
  pagination: pages,
  shouldFetch: repositoryChanged,
  extract: withRepository,
  schema: Environment,
  id: (e) => e.uuid,
});
