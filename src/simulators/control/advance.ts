import { HOUR_MS, iso } from '../core/clock.ts';
import { repoDay } from '../bitbucket/history.ts';
import type { BitbucketWorld } from '../bitbucket/world.ts';
import { money } from '../digitalocean/billing.ts';
import type { Billing } from '../digitalocean/billing.ts';
import type { DigitalOceanWorld } from '../digitalocean/world.ts';

/** What moving simulated time forward added, so a test can check a sync picked up exactly that. */
export interface AdvanceSummary {
  from: string;
  to: string;
  digitalocean: {
    dropletsCreated: number[];
    dropletsDeleted: number[];
    invoicesIssued: Array<{ uuid: string; period: string; amount: string }>;
  };
  bitbucket: {
    commits: number;
    pullRequestsOpened: number;
    /** Pull requests with any change (opened, commented, approved, merged, declined) in the window. */
    pullRequestsUpdated: number;
    pipelines: number;
    issuesOpened: number;
    issuesUpdated: number;
    byRepository: Record<string, { commits: number; pullRequestsOpened: number; pipelines: number; issuesOpened: number }>;
  };
}

// How long after it opens a record can still change (see history.ts): pull requests close within
// ten days, issues are touched for at most thirty.
const PULL_REQUEST_LIFETIME_DAYS = 11;
const ISSUE_LIFETIME_DAYS = 31;

function bitbucketActivity(world: BitbucketWorld, from: number, to: number): AdvanceSummary['bitbucket'] {
  const within = (t: number | null) => t !== null && t > from && t <= to;
  const firstDay = world.clock.dayIndex(from);
  const lastDay = world.clock.dayIndex(to);
  const out: AdvanceSummary['bitbucket'] = { commits: 0, pullRequestsOpened: 0, pullRequestsUpdated: 0, pipelines: 0, issuesOpened: 0, issuesUpdated: 0, byRepository: {} };
  for (const repo of world.state.repositories) {
    const mine = { commits: 0, pullRequestsOpened: 0, pipelines: 0, issuesOpened: 0 };
    const lookback = repo.hasIssues ? ISSUE_LIFETIME_DAYS : PULL_REQUEST_LIFETIME_DAYS;
    for (let day = Math.max(repo.firstActiveDay, firstDay - lookback); day <= lastDay; day++) {
      const d = repoDay(world.dayContext, repo, day);
      mine.commits += d.commits.filter((c) => within(c.date)).length;
      mine.pullRequestsOpened += d.pullrequests.filter((pr) => within(pr.createdOn)).length;
      mine.pipelines += d.pipelines.filter((p) => within(p.createdOn)).length;
      mine.issuesOpened += d.issues.filter((i) => within(i.createdOn)).length;
      out.pullRequestsUpdated += d.pullrequests.filter(
        (pr) => within(pr.createdOn) || within(pr.closedOn) || pr.approvals.some((a) => within(a.at)) || pr.comments.some((c) => within(c.at)),
      ).length;
      out.issuesUpdated += d.issues.filter((i) => within(i.createdOn) || within(i.resolvedOn) || i.updates.some(within)).length;
    }
    out.commits += mine.commits;
    out.pullRequestsOpened += mine.pullRequestsOpened;
    out.pipelines += mine.pipelines;
    out.issuesOpened += mine.issuesOpened;
    if (Object.values(mine).some((n) => n > 0)) out.byRepository[repo.slug] = mine;
  }
  return out;
}

export function advanceTime(
  hours: number,
  digitalocean: { world: DigitalOceanWorld; billing: Billing },
  bitbucket: { world: BitbucketWorld },
): AdvanceSummary {
  const clock = digitalocean.world.clock;
  // Events due before the jump belong to no window; apply them first.
  digitalocean.world.catchUp();
  const from = clock.now();
  clock.advance(Math.round(hours * HOUR_MS));
  const to = clock.now();
  const events = digitalocean.world.catchUp();
  const issued = digitalocean.billing.invoices().filter((inv) => inv.end > from && inv.end <= to);
  return {
    from: iso(from),
    to: iso(to),
    digitalocean: {
      dropletsCreated: events.filter((e) => e.kind === 'droplet_created').map((e) => e.dropletId),
      dropletsDeleted: events.filter((e) => e.kind === 'droplet_deleted').map((e) => e.dropletId),
      invoicesIssued: issued.map((inv) => ({ uuid: inv.uuid, period: inv.period, amount: money(inv.totalCents) })),
    },
    bitbucket: bitbucketActivity(bitbucket.world, from, to),
  };
}

