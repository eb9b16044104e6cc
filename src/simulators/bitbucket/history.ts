import { DAY_MS, HOUR_MS } from '../core/clock.ts';
import { hashLabels, randomFor } from '../core/random.ts';
import type { Random } from '../core/random.ts';
import type { BbCommit, BbDeployment, BbIssue, BbMember, BbPipeline, BbPullRequest, BbRepository } from './model.ts';

/**
 * A repository's activity, one simulated day at a time. A day's records are a pure function of
 * (seed, repository, day), so any day can be regenerated alone: the history of one repository is
 * the days from its first to today, and the records a time advance adds are the days it crosses.
 * Records carry their whole lifecycle (a pull request's merge time may lie in the future); what is
 * visible is decided at request time against simulated now.
 */

export interface RepoDay {
  commits: BbCommit[];
  pullrequests: Array<Omit<BbPullRequest, 'id'>>;
  pipelines: Array<Omit<BbPipeline, 'buildNumber'>>;
  issues: Array<Omit<BbIssue, 'id'>>;
}

export interface DayContext {
  seed: number;
  epochMs: number;
  members: readonly BbMember[];
}

const MESSAGES = ['Fix flaky test', 'Add retry to client', 'Bump dependencies', 'Refactor handler', 'Update README', 'Handle empty response', 'Improve logging', 'Tidy config', 'Add metrics', 'Speed up build'];
const TOPICS = ['retry', 'cache', 'login', 'export', 'search', 'billing', 'upload', 'timeouts', 'paging', 'alerts'];
const EMPTY: RepoDay = { commits: [], pullrequests: [], pipelines: [], issues: [] };
const BOT = 'Renovate Bot <bot@renovateapp.com>';

/** Members of the repository who work on this day; the first contributors are the busiest. */
function pickAuthor(random: Random, active: BbMember[]): BbMember {
  return active[Math.floor(random.next() ** 2 * active.length)] as BbMember;
}

function workTime(random: Random, dayStart: number): number {
  return dayStart + random.int(7 * 3600, 20 * 3600) * 1000 + random.int(0, 999);
}

export function repoDay(ctx: DayContext, repo: BbRepository, day: number): RepoDay {
  if (day < repo.firstActiveDay || day > repo.lastActiveDay) return EMPTY;
  const active = repo.contributors.map((i) => ctx.members[i] as BbMember).filter((m) => m.firstActiveDay <= day && day <= m.lastActiveDay);
  if (active.length === 0) return EMPTY;
  const random = randomFor(ctx.seed, 'bb', 'repo', repo.index, 'day', day);
  const dayStart = ctx.epochMs + day * DAY_MS;
  const weekday = new Date(dayStart).getUTCDay();
  const factor = weekday === 0 || weekday === 6 ? 0.15 : 1;

  const commits: BbCommit[] = [];
  for (let n = random.poisson(repo.commitRate * factor); n > 0; n--) {
    const author = pickAuthor(random, active);
    const roll = random.next();
    // Mostly linked to the member's account; some commits come from a bot or from an email the
    // person never verified, and then carry only the raw author string.
    const raw = roll < 0.03 ? BOT : roll < 0.08 ? `${author.displayName} <${author.nickname}@personal.example>` : `${author.displayName} <${author.email}>`;
    commits.push({ hash: random.hex(40), date: workTime(random, dayStart), authorIndex: roll < 0.08 ? null : author.index, authorRaw: raw, message: random.pick(MESSAGES), parent: null });
  }
  commits.sort((a, b) => a.date - b.date);

  const pullrequests: RepoDay['pullrequests'] = [];
  for (let n = random.poisson((repo.commitRate * factor) / 3); n > 0; n--) {
    const author = pickAuthor(random, active);
    const createdOn = workTime(random, dayStart);
    const lifetime = random.int(1, 240) * HOUR_MS;
    const outcome = random.next();
    const finalState = outcome < 0.78 ? 'MERGED' : outcome < 0.88 ? 'DECLINED' : null;
    const closedOn = finalState ? createdOn + lifetime : null;
    const reviewers = random.sample(active.filter((m) => m.index !== author.index), random.int(1, 2)).map((m) => m.index);
    const horizon = closedOn ?? createdOn + 5 * DAY_MS;
    const topic = random.pick(TOPICS);
    pullrequests.push({
      title: `${random.pick(['Add', 'Fix', 'Improve', 'Rework'])} ${topic}`,
      authorIndex: author.index, createdOn, closedOn, finalState, reviewers,
      approvals: finalState === 'MERGED' ? reviewers.map((memberIndex) => ({ memberIndex, at: createdOn + Math.floor(random.next() * (horizon - createdOn)) })) : [],
      comments: Array.from({ length: random.poisson(2) }, () => ({ id: random.int(100_000_000, 999_999_999), memberIndex: random.pick(active).index, at: createdOn + Math.floor(random.next() * (horizon - createdOn)) })).sort((a, b) => a.at - b.at),
      sourceBranch: `feature/${topic}-${random.int(100, 999)}`, sourceHash: random.hex(40), mergeHash: random.hex(40),
    });
  }

  const pipelines: RepoDay['pipelines'] = [];
  if (repo.hasPipelines)
    for (let n = random.poisson(repo.commitRate * factor * 0.7); n > 0; n--) {
      const outcome = random.next();
      const onMain = random.chance(0.6);
      pipelines.push({
        uuid: `{${random.uuid()}}`, creatorIndex: pickAuthor(random, active).index, createdOn: workTime(random, dayStart),
        durationSeconds: random.int(45, 1800), result: outcome < 0.85 ? 'SUCCESSFUL' : outcome < 0.97 ? 'FAILED' : 'STOPPED',
        trigger: random.chance(0.9) ? 'push' : 'manual', branch: onMain ? 'main' : `feature/${random.pick(TOPICS)}-${random.int(100, 999)}`,
        commitHash: commits.length > 0 ? random.pick(commits).hash : random.hex(40),
      });
    }
  pipelines.sort((a, b) => a.createdOn - b.createdOn);

  const issues: RepoDay['issues'] = [];
  if (repo.hasIssues)
    for (let n = random.poisson(0.35 * factor); n > 0; n--) {
      const createdOn = workTime(random, dayStart);
      const resolved = random.chance(0.7);
      const resolvedOn = resolved ? createdOn + random.int(2, 20 * 24) * HOUR_MS : null;
      const until = resolvedOn ?? createdOn + 30 * DAY_MS;
      issues.push({
        title: `${random.pick(['Error when', 'Slow', 'Cannot', 'Request:'])} ${random.pick(TOPICS)}`,
        reporterIndex: random.pick(active).index, assigneeIndex: random.chance(0.7) ? random.pick(active).index : null, createdOn,
        updates: Array.from({ length: random.poisson(2) }, () => createdOn + Math.floor(random.next() * (until - createdOn))).sort((a, b) => a - b),
        resolvedOn, finalState: resolved ? random.pick(['resolved', 'resolved', 'closed', 'wontfix', 'duplicate'] as const) : null,
        kind: random.pick(['bug', 'bug', 'enhancement', 'task', 'proposal'] as const), priority: random.pick(['minor', 'major', 'major', 'critical', 'trivial', 'blocker'] as const),
      });
    }
  issues.sort((a, b) => a.createdOn - b.createdOn);
  return { commits, pullrequests, pipelines, issues };
}

/** A repository's records from its first day through `throughDay`, numbered as Bitbucket numbers them. */
export interface RepoHistory {
  throughDay: number;
  /** Newest first, each with its parent filled in. */
  commits: BbCommit[];
  pullrequests: BbPullRequest[];
  pipelines: BbPipeline[];
  deployments: BbDeployment[];
  issues: BbIssue[];
}

export function buildHistory(ctx: DayContext, repo: BbRepository, throughDay: number): RepoHistory {
  const h: RepoHistory = { throughDay, commits: [], pullrequests: [], pipelines: [], deployments: [], issues: [] };
  let parent: string | null = null;
  for (let day = repo.firstActiveDay; day <= throughDay; day++) {
    const d = repoDay(ctx, repo, day);
    for (const c of d.commits) {
      h.commits.push({ ...c, parent });
      parent = c.hash;
    }
    for (const pr of d.pullrequests) h.pullrequests.push({ ...pr, id: h.pullrequests.length + 1 });
    for (const p of d.pipelines) {
      const pipeline = { ...p, buildNumber: h.pipelines.length + 1 };
      h.pipelines.push(pipeline);
      if (pipeline.branch !== 'main' || pipeline.result !== 'SUCCESSFUL') continue;
      // Every green build of main reaches Test; some go on to Staging and Production.
      for (let env = 0; env < 3; env++) {
        const roll = hashLabels(pipeline.uuid, env) / 2 ** 32;
        if (env === 0 || (env === 1 && roll < 0.5) || (env === 2 && roll < 0.2))
          h.deployments.push({ uuid: `{${randomFor(ctx.seed, 'bb', 'deployment', pipeline.uuid, env).uuid()}}`, environmentIndex: env, pipeline });
      }
    }
    for (const issue of d.issues) h.issues.push({ ...issue, id: h.issues.length + 1 });
  }
  h.commits.reverse();
  return h;
}
