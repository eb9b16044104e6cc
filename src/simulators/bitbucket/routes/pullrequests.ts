import { bitbucketTime as time } from '../../core/clock.ts';
import { ok } from '../../core/reply.ts';
import type { BbRoute } from '../api.ts';
import { bbError } from '../errors.ts';
import { filterAndSort, readJsonPath } from '../listing.ts';
import type { BbRepository } from '../model.ts';
import { PULL_REQUEST_PAGING, cursorPage, numberedPage } from '../paging.ts';
import { pullRequest, pullRequestActivity, pullRequestView } from '../serialize-activity.ts';
import type { BitbucketWorld } from '../world.ts';
import { repoScope } from './repositories.ts';

/** Pull requests and their activity. */

const STATES = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];
const FIELDS = ['id', 'title', 'state', 'created_on', 'updated_on', 'author.uuid', 'author.account_id', 'comment_count', 'source.branch.name', 'destination.branch.name', 'draft'];

export function pullRequestRoutes(world: BitbucketWorld): BbRoute[] {
  const ws = world.workspace;
  // A repository with pull requests, for the examples.
  const busy = () => world.state.repositories.reduce((a, b) => (b.commitRate > a.commitRate && b.lastActiveDay > 0 ? b : a)) as BbRepository;
  const base = () => `/repositories/${ws.slug}/${busy().slug}/pullrequests`;
  return [
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/pullrequests',
      // Only open pull requests unless `state` says otherwise (it may repeat); newest update first.
      handle(ctx) {
        const scope = repoScope(ctx);
        const raw = ctx.query.state;
        const states = raw === undefined ? ['OPEN'] : Array.isArray(raw) ? raw : [raw];
        const bad = states.find((s) => !STATES.includes(s));
        if (bad) return bbError(400, `Invalid state: ${bad}`);
        // Serialized only when a filter reads a field other than state and updated_on, or for the page
        // itself: listing a repository's pull requests page by page no longer serializes all of them each time.
        const rows = world
          .history(scope.repo)
          .pullrequests.filter((pr) => pr.createdOn <= ctx.now)
          .map((pr) => {
            const bumpedAt = world.bumpedAt('pullrequest', scope.repo, pr.id);
            return { pr, bumpedAt, view: pullRequestView(pr, ctx.now, bumpedAt), json: undefined as ReturnType<typeof pullRequest> | undefined };
          })
          .filter((r) => states.includes(r.view.state));
        type Row = (typeof rows)[number];
        const json = (r: Row) => (r.json ??= pullRequest(r.pr, scope, r.bumpedAt));
        // The same values the serialized record carries (pullRequest writes state and updated_on from the view).
        const read = (r: Row, field: string) => (field === 'state' ? r.view.state : field === 'updated_on' ? time(r.view.updatedOn) : readJsonPath(json(r), field));
        const listed = filterAndSort(rows, ctx.query, { fields: FIELDS, defaultSort: '-updated_on', read });
        return ok(numberedPage(listed, ctx.query, ctx.url, PULL_REQUEST_PAGING, json));
      },
      examples: () => [
        base(),
        `${base()}?state=MERGED&state=DECLINED&state=OPEN&pagelen=50`,
        `${base()}?state=MERGED&pagelen=100&page=2`,
        `${base()}?state=MERGED&q=updated_on%3E%3D%222020-01-01T00%3A00%3A00%2B00%3A00%22&sort=-updated_on`,
        `${base()}?state=BOGUS`,
      ],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}',
      handle(ctx) {
        const scope = repoScope(ctx);
        const pr = world.history(scope.repo).pullrequests.find((p) => String(p.id) === ctx.params.pull_request_id && p.createdOn <= ctx.now);
        return pr ? ok(pullRequest(pr, scope, world.bumpedAt('pullrequest', scope.repo, pr.id))) : bbError(404, 'Pull request not found');
      },
      examples: () => [`${base()}/1`, `${base()}/999999`],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/pullrequests/activity',
      handle(ctx) {
        const scope = repoScope(ctx);
        const entries = world
          .history(scope.repo)
          .pullrequests.filter((pr) => pr.createdOn <= ctx.now)
          .flatMap((pr) => pullRequestActivity(pr, scope))
          .sort((a, b) => b.at - a.at);
        return ok(cursorPage(entries, ctx.query, ctx.url, 'ctx', (e) => e.entry));
      },
      examples: () => [`${base()}/activity`, `${base()}/activity?pagelen=50`],
    },
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/activity',
      handle(ctx) {
        const scope = repoScope(ctx);
        const pr = world.history(scope.repo).pullrequests.find((p) => String(p.id) === ctx.params.pull_request_id && p.createdOn <= ctx.now);
        if (!pr) return bbError(404, 'Pull request not found');
        const entries = pullRequestActivity(pr, scope).sort((a, b) => b.at - a.at);
        return ok(cursorPage(entries, ctx.query, ctx.url, 'ctx', (e) => e.entry));
      },
      examples: () => [`${base()}/1/activity`, `${base()}/999999/activity`],
    },
  ];
}
