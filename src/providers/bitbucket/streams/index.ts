import type { StreamDefinition } from '../../../sync/types.ts';
import { issues } from './issues.ts';
import { pipelines, deployments, environments } from './pipelines.ts';
import { pullRequestActivity, pullRequests } from './pull-requests.ts';
import { commits, repositories } from './repositories.ts';
import { members, projects, workspacePermissions, workspaces } from './workspaces.ts';

/**
 * Every Bitbucket object carries `links` (URLs built from its ids): Tally reads none of them, so asks for
 * none ("Partial responses": `*` matches every field of one level, lists are transparent; these four reach
 * every object a list Tally reads embeds) and stores none (`unstoredKeys` drops any a deeper object carries).
 * Without them a page is a third to two fifths of the bytes.
 */
export const WITHOUT_LINKS = '-values.links,-values.*.links,-values.*.*.links,-values.*.*.*.links';

const withoutLinks = (list: StreamDefinition[]): StreamDefinition[] =>
  list.map((s) => {
    const query = s.query;
    return {
      ...s,
      query: typeof query === 'function' ? (input) => ({ ...query(input), fields: WITHOUT_LINKS }) : { ...query, fields: WITHOUT_LINKS },
      unstoredKeys: ['links'],
    };
  });

/** Bitbucket's streams, every parent before its children. None calls an operation the document marks deprecated. */
export const streams: StreamDefinition[] = withoutLinks([
  workspaces,
  members,
  workspacePermissions,
  projects,
  repositories,
  commits,
  pullRequests,
  pullRequestActivity,
  pipelines,
  deployments,
  environments,
]);

/**
 * Streams that call a deprecated operation: `issues` (Atlassian's document marks the whole issue tracker
 * deprecated and names no replacement). They run only with TALLY_BITBUCKET_ISSUES=on (src/sync/streams.ts).
 */
export const deprecatedStreams: StreamDefinition[] = withoutLinks([issues]);
