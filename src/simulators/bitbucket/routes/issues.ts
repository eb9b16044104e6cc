import { ok } from '../../core/reply.ts';
import type { BbRoute } from '../api.ts';
import { bbError } from '../errors.ts';
import { filterAndSort } from '../listing.ts';
import type { BbRepository } from '../model.ts';
import { DEFAULT_PAGING, numberedPage } from '../paging.ts';
import { issue } from '../serialize-activity.ts';
import type { BitbucketWorld } from '../world.ts';
import { repoScope } from './repositories.ts';

/** The issue tracker (which the document marks deprecated, but still describes). */

const FIELDS = ['id', 'title', 'state', 'kind', 'priority', 'created_on', 'updated_on', 'edited_on', 'reporter.uuid', 'assignee.uuid', 'votes'];

export function issueRoutes(world: BitbucketWorld): BbRoute[] {
  const ws = world.workspace;
  const tracked = () => world.state.repositories.find((r) => r.hasIssues && r.lastActiveDay > 0) as BbRepository;
  return [
    {
      documentPath: '/repositories/{workspace}/{repo_slug}/issues',
      handle(ctx) {
        const scope = repoScope(ctx);
        if (!scope.repo.hasIssues) return bbError(404, 'Repository has no issue tracker.');
        const records = world
          .history(scope.repo)
          .issues.filter((i) => i.createdOn <= ctx.now)
          .map((i) => issue(i, scope, world.bumpedAt('issue', scope.repo, i.id)));
        const listed = filterAndSort(records, ctx.query, { fields: FIELDS, defaultSort: 'id' });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => {
        const base = `/repositories/${ws.slug}/${tracked().slug}/issues`;
        return [base, `${base}?sort=-updated_on&pagelen=100`, `${base}?q=state%3D%22new%22%20OR%20state%3D%22open%22`];
      },
    },
  ];
}
