import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { defineStream } from '../../../sync/types.ts';
import type { ActivityFact } from '../../../sync/types.ts';
import { PullRequest, PullRequestActivity } from '../schemas.ts';
import { DAY_MS, pages, pullRequestPages, repositoryChanged, repositoryPath, updatedSince, utcDay, withRepository } from './support.ts';

/** Every state: the list gives only open pull requests unless `state` is repeated for each one wanted. */
const ALL_STATES = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'].map((s) => `state=${s}`).join('&');

/**
 * Pull requests of every state, oldest update first, from the cursor on. Sorted ascending on `updated_on`
 * with `updated_on >= since`, a pull request that changes while the list is read moves to the end of the
 * list, where this pass still reads it (the default `-updated_on` would move it to pages already read).
 * Page numbers still shift by one when a record already read moves, so the engine asks for each next page
 * as `updated_on >= <the newest one read>` (keyset paging; test/providers/bitbucket-incremental.test.ts).
 */
export const pullRequests = defineStream({
  name: 'pull_requests',
  provider: 'bitbucket',
  parent: 'repositories',
  // `state` repeats, which a query record cannot hold; the engine keeps a path's own query string.
  path: (repo) => `${repositoryPath(repo)}/pullrequests?${ALL_STATES}`,
  pagination: pullRequestPages,
  shouldFetch: repositoryChanged,
  revisitAfterMs: DAY_MS,
  schema: PullRequest,
  id: (pr) => `${pr.destination.repository.uuid}:${pr.id}`,
  incremental: {
    value: (pr) => pr.updated_on,
    query: updatedSince,
    newestFirst: false,
  },
  activity: (pr) => (pr.author ? [{ accountId: pr.author.uuid, day: utcDay(pr.created_on), feature: 'pull_request.opened', count: 1 }] : []),
});

type Entry = z.infer<typeof PullRequestActivity>;

/** When the entry happened; an entry of a kind Tally does not know has none. */
function entryDate(e: Entry): string {
  return e.update?.date ?? e.approval?.date ?? e.changes_requested?.date ?? e.comment?.created_on ?? '';
}

function entryId(e: Entry): string {
  const pr = `${e.repository.uuid}:${e.pull_request.id}`;
  if (e.comment) return `${pr}:comment:${e.comment.id}`;
  if (e.approval) return `${pr}:approval:${e.approval.user.uuid}:${e.approval.date}`;
  if (e.changes_requested) return `${pr}:changes_requested:${e.changes_requested.user.uuid}:${e.changes_requested.date}`;
  if (e.update) return `${pr}:update:${e.update.state}:${e.update.date}`;
  // Kinds Tally does not read (tasks, attachments) still need an id that is stable across passes.
  return `${pr}:other:${createHash('sha256').update(JSON.stringify(e)).digest('hex').slice(0, 32)}`;
}

function entryActivity(e: Entry): ActivityFact[] {
  const fact = (accountId: string, at: string, feature: string): ActivityFact[] => [{ accountId, day: utcDay(at), feature, count: 1 }];
  if (e.approval) return fact(e.approval.user.uuid, e.approval.date, 'pull_request.reviewed');
  if (e.changes_requested) return fact(e.changes_requested.user.uuid, e.changes_requested.date, 'pull_request.reviewed');
  if (e.comment?.user) return fact(e.comment.user.uuid, e.comment.created_on, 'pull_request.reviewed');
  // The log names the update's author, not who pressed Merge (the pull request's `closed_by` does).
  if (e.update?.state === 'MERGED' && e.update.author) return fact(e.update.author.uuid, e.update.date, 'pull_request.merged');
  return [];
}

/**
 * The activity log of all pull requests of a repository, newest first, in one list (one call per
 * repository instead of one per pull request): who approved, requested changes, commented, merged.
 */
export const pullRequestActivity = defineStream({
  name: 'pull_request_activity',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/pullrequests/activity`,
  pagination: pages,
  shouldFetch: repositoryChanged,
  revisitAfterMs: DAY_MS,
  extract: withRepository,
  schema: PullRequestActivity,
  id: entryId,
  incremental: { value: entryDate, query: () => ({}), newestFirst: true },
  activity: entryActivity,
});
