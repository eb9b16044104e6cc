import { defineStream } from '../../../sync/types.ts';
import type { ActivityFact } from '../../../sync/types.ts';
import { Deployment, Environment, Pipeline } from '../schemas.ts';
import { DAY_MS, pages, repositoryChanged, repositoryPath, utcDay, withRepository } from './support.ts';

/**
 * Pipeline runs, newest first (the list is oldest first unless `sort=-created_on`), so an incremental pass
 * stops at the first page older than its cursor. A run still going when it was read has
 * `build_seconds_used` 0: each pass reads a day behind its cursor again, and every repository is revisited
 * daily (a finished pipeline does not move the repository's `updated_on`).
 */
export const pipelines = defineStream({
  name: 'pipelines',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/pipelines`,
  query: { sort: '-created_on' },
  pagination: pages,
  shouldFetch: repositoryChanged,
  revisitAfterMs: DAY_MS,
  schema: Pipeline,
  id: (p) => p.uuid,
  incremental: { value: (p) => p.created_on, query: () => ({}), newestFirst: true, lookbackMs: DAY_MS },
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
  revisitAfterMs: 7 * DAY_MS,
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
  revisitAfterMs: 7 * DAY_MS,
  extract: withRepository,
  schema: Environment,
  id: (e) => e.uuid,
});
