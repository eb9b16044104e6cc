import { defineStream } from '../../../sync/types.ts';
import { Commit, Repository } from '../schemas.ts';
import { commitAuthor, pages, repositoryChanged, repositoryPath, utcDay, workspaceSlug } from './support.ts';

/**
 * A workspace's repositories (never the deprecated cross-workspace `/repositories`). Sorted by creation, so
 * a repository pushed to mid-sync keeps its place and none is skipped or read twice.
 */
export const repositories = defineStream({
  name: 'repositories',
  provider: 'bitbucket',
  parent: 'workspaces',
  path: (ws) => `/repositories/${workspaceSlug(ws)}`,
  query: { sort: 'created_on' },
  pagination: pages,
  schema: Repository,
  id: (r) => r.uuid,
});

/**
 * Commits of every branch, newest first (the list takes no date filter): an incremental pass stops at the
 * first page older than its cursor. Hashes repeat across forks, so the id carries the repository.
 */
export const commits = defineStream({
  name: 'commits',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/commits`,
  pagination: pages,
  shouldFetch: repositoryChanged,
  schema: Commit,
  id: (c) => `${c.repository.uuid}:${c.hash}`,
  incremental: { value: (c) => c.date, query: () => ({}), newestFirst: true },
  activity: (c) => [{ accountId: commitAuthor(c.author).externalId, day: utcDay(c.date), feature: 'commit', count: 1 }],
  accounts: (c) => [commitAuthor(c.author)],
});
