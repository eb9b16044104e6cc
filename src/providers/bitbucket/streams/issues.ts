import { defineStream } from '../../../sync/types.ts';
import type { ActivityFact } from '../../../sync/types.ts';
import { Issue } from '../schemas.ts';
import { pages, repositoryChanged, repositoryPath, updatedSince, utcDay } from './support.ts';

/**
 * Issues of repositories whose tracker is on. Atlassian's document marks the whole issue tracker deprecated
 * (with no replacement), so this stream is kept out of `streams` until it is decided to call it anyway; see
 * `deprecatedStreams` in index.ts. Oldest update first from the cursor, like pull requests.
 */
export const issues = defineStream({
  name: 'issues',
  provider: 'bitbucket',
  parent: 'repositories',
  path: (repo) => `${repositoryPath(repo)}/issues`,
  pagination: pages,
  // A repository that says it has no tracker is not asked (it would answer 404).
  shouldFetch: (repo, lastCompletePassAt) => repo.data.has_issues !== false && repositoryChanged(repo, lastCompletePassAt),
  notFoundMeans: 'the issue tracker is disabled for this repository',
  schema: Issue,
  id: (i) => `${i.repository.uuid}:${i.id}`,
  incremental: {
    value: (i) => i.updated_on,
    query: updatedSince,
    newestFirst: false,
  },
  activity(i): ActivityFact[] {
    const out: ActivityFact[] = [];
    if (i.reporter) out.push({ accountId: i.reporter.uuid, day: utcDay(i.created_on), feature: 'issue.created', count: 1 });
    // The list gives only the latest update; it counts for whoever the issue is assigned to, else its reporter.
    const updater = i.assignee ?? i.reporter;
    if (updater && i.updated_on !== i.created_on) out.push({ accountId: updater.uuid, day: utcDay(i.updated_on), feature: 'issue.updated', count: 1 });
    return out;
  },
});
