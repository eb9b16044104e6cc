import { DAY_MS, SimClock, isoDate, iso } from './core/clock.ts';
import { createBitbucket } from './bitbucket/index.ts';
import type { BitbucketSimulator } from './bitbucket/index.ts';
import { buildHistory } from './bitbucket/history.ts';
import { pipelineCompletedAt, pullRequestView } from './bitbucket/serialize-activity.ts';
import { createDigitalOcean } from './digitalocean/index.ts';
import type { DigitalOceanSimulator } from './digitalocean/index.ts';
import { money } from './digitalocean/billing.ts';
import { aliveAt } from './digitalocean/world.ts';
import { defaultEpoch } from './options.ts';
import type { Preset } from './types.ts';

/**
 * The simulators' own account of their data, for tests that check Tally's figures against it.
 * Computed from the same generator the API serves from, as of a moment of simulated time.
 */
export interface SimulatorTruth {
  preset: Preset;
  seed: number;
  epoch: string;
  asOf: string;
  bitbucket: {
    workspace: string;
    members: number;
    /** Members with a linked commit, a pull request, a review or a comment in the 30 (90) days before `asOf`. */
    activeMembers30d: number;
    activeMembers90d: number;
    /** Per member UUID: their last activity of that kind, or null. */
    lastActivity: Record<string, string | null>;
    repositories: number;
    commits: number;
    commitsByRepository: Record<string, number>;
    /** Author (member UUID, or `raw:<Name <email>>` for commits linked to no account) -> day -> commits. */
    commitsByAuthorDay: Record<string, Record<string, number>>;
    pullRequests: { OPEN: number; MERGED: number; DECLINED: number };
    pipelines: number;
    buildSecondsUsed: number;
    issues: number;
  };
  digitalocean: {
    team: string;
    droplets: number[];
    /** Droplets whose CPU is busy less than 5 % of the time. */
    idleDroplets: number[];
    dropletsOutsideFirewalls: number[];
    unattachedVolumes: string[];
    counts: Record<'volumes' | 'snapshots' | 'databases' | 'apps' | 'kubernetesClusters' | 'loadBalancers' | 'firewalls' | 'projects', number>;
    invoices: Array<{ uuid: string; period: string; amount: string; lines: number }>;
    monthToDateUsage: string;
    accountBalance: string;
  };
}

const IDLE_CPU = 0.05;

function bitbucketTruth(bb: BitbucketSimulator, asOf: number): SimulatorTruth['bitbucket'] {
  const world = bb.world;
  const throughDay = world.clock.dayIndex(asOf);
  const last = new Map<number, number>();
  const seen = (member: number, at: number) => {
    if (at <= asOf && at > (last.get(member) ?? -Infinity)) last.set(member, at);
  };
  const byAuthorDay: Record<string, Record<string, number>> = {};
  const t: SimulatorTruth['bitbucket'] = {
    workspace: world.workspace.slug, members: 0, activeMembers30d: 0, activeMembers90d: 0, lastActivity: {}, repositories: 0, commits: 0, commitsByRepository: {},
    commitsByAuthorDay: byAuthorDay, pullRequests: { OPEN: 0, MERGED: 0, DECLINED: 0 }, pipelines: 0, buildSecondsUsed: 0, issues: 0,
  };
  for (const repo of world.state.repositories) {
    if (repo.createdOn > asOf) continue;
    t.repositories++;
    const h = buildHistory(world.dayContext, repo, throughDay);
    let repoCommits = 0;
    for (const c of h.commits) {
      if (c.date > asOf) continue;
      repoCommits++;
      const author = c.authorIndex !== null ? world.member(c.authorIndex).uuid : `raw:${c.authorRaw}`;
      const days = (byAuthorDay[author] ??= {});
      days[isoDate(c.date)] = (days[isoDate(c.date)] ?? 0) + 1;
      if (c.authorIndex !== null) seen(c.authorIndex, c.date);
    }
    t.commits += repoCommits;
    t.commitsByRepository[repo.slug] = repoCommits;
    for (const pr of h.pullrequests) {
      if (pr.createdOn > asOf) continue;
      t.pullRequests[pullRequestView(pr, asOf, null).state]++;
      seen(pr.authorIndex, pr.createdOn);
      for (const a of pr.approvals) seen(a.memberIndex, a.at);
      for (const c of pr.comments) seen(c.memberIndex, c.at);
    }
    for (const p of h.pipelines) {
      if (p.createdOn > asOf) continue;
      t.pipelines++;
      if (pipelineCompletedAt(p) <= asOf) t.buildSecondsUsed += p.durationSeconds;
    }
    t.issues += h.issues.filter((i) => i.createdOn <= asOf).length;
  }
  for (const m of world.state.members) {
    if (m.addedOn > asOf) continue;
    t.members++;
    const at = last.get(m.index);
    t.lastActivity[m.uuid] = at === undefined ? null : iso(at);
    if (at !== undefined && at >= asOf - 90 * DAY_MS) t.activeMembers90d++;
    if (at !== undefined && at >= asOf - 30 * DAY_MS) t.activeMembers30d++;
  }
  return t;
}

function digitaloceanTruth(sim: DigitalOceanSimulator, asOf: number): SimulatorTruth['digitalocean'] {
  const s = sim.world.state;
  const droplets = sim.world.droplets();
  const preview = sim.billing.preview();
  return {
    team: s.team.name,
    droplets: droplets.map((d) => d.id),
    idleDroplets: droplets.filter((d) => d.cpuBusy < IDLE_CPU).map((d) => d.id),
    dropletsOutsideFirewalls: sim.world.dropletsOutsideFirewalls().map((d) => d.id),
    unattachedVolumes: aliveAt(s.volumes, asOf).filter((v) => v.dropletId === null).map((v) => v.id),
    counts: {
      volumes: aliveAt(s.volumes, asOf).length,
      snapshots: s.snapshots.filter((x) => x.createdAt <= asOf).length,
      databases: aliveAt(s.databases, asOf).length,
      apps: aliveAt(s.apps, asOf).length,
      kubernetesClusters: aliveAt(s.clusters, asOf).length,
      loadBalancers: aliveAt(s.loadBalancers, asOf).length,
      firewalls: s.firewalls.filter((f) => f.createdAt <= asOf).length,
      projects: s.projects.length,
    },
    invoices: sim.billing.invoices().map((inv) => ({ uuid: inv.uuid, period: inv.period, amount: money(inv.totalCents), lines: inv.lines.length })),
    monthToDateUsage: money(preview.totalCents),
    accountBalance: money(sim.billing.accountBalanceCents()),
  };
}

/** The truth of running simulators, as of their simulated now. */
export function computeTruth(digitalocean: DigitalOceanSimulator, bitbucket: BitbucketSimulator): SimulatorTruth {
  const clock = digitalocean.world.clock;
  digitalocean.world.catchUp();
  const asOf = clock.now();
  return {
    preset: digitalocean.world.preset,
    seed: digitalocean.world.seed,
    epoch: iso(clock.epochMs),
    asOf: iso(asOf),
    bitbucket: bitbucketTruth(bitbucket, asOf),
    digitalocean: digitaloceanTruth(digitalocean, asOf),
  };
}

/**
 * The truth of the data `startSimulators({ preset, seed, epoch })` serves, as of the epoch (before
 * any time advance). Without `epoch`, the default epoch: today 00:00 UTC.
 */
export function simulatorTruth(preset: Preset, seed: number, options: { epoch?: string } = {}): SimulatorTruth {
  const epochMs = options.epoch ? Date.parse(options.epoch) : defaultEpoch();
  if (Number.isNaN(epochMs)) throw new Error(`invalid epoch: ${options.epoch}`);
  const clock = new SimClock(epochMs, epochMs, true);
  return computeTruth(createDigitalOcean(preset, seed, clock), createBitbucket(preset, seed, clock));
}
