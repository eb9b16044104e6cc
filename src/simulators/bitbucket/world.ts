import type { SimClock } from '../core/clock.ts';
import type { Preset } from '../types.ts';
import { generateBitbucket } from './generate.ts';
import type { BbInitialState } from './generate.ts';
import { buildHistory, repoDay } from './history.ts';
import type { DayContext, RepoHistory } from './history.ts';
import type { BbMember, BbRepository } from './model.ts';

/** Histories kept in memory at once; the rest is regenerated on demand. */
const CACHED_HISTORIES = 64;

export type BumpKind = 'pullrequest' | 'issue' | 'repository';

/**
 * The simulated workspace at simulated now. Members, projects and repositories are built up
 * front; each repository's history is built when first asked for and kept in a small cache.
 * The only stored changes are "bumps": records a test touched, whose `updated_on` moved to then.
 */
export class BitbucketWorld {
  readonly preset: Preset;
  readonly seed: number;
  readonly clock: SimClock;
  readonly state: BbInitialState;
  readonly dayContext: DayContext;
  #histories = new Map<number, RepoHistory>();
  #bumps = new Map<string, number>();
  #lastCommitBefore = new Map<number, { day: number; at: number | null }>();
  #byUuid: Map<string, BbMember>;
  #byEmail: Map<string, BbMember>;
  #paidSeats: number | undefined;

  constructor(preset: Preset, seed: number, clock: SimClock, paidSeats?: number) {
    this.preset = preset;
    this.#paidSeats = paidSeats;
    this.seed = seed;
    this.clock = clock;
    this.state = generateBitbucket(preset, seed, clock.epochMs);
    this.dayContext = { seed, epochMs: clock.epochMs, members: this.state.members };
    this.#byUuid = new Map(this.state.members.map((m) => [m.uuid, m]));
    this.#byEmail = new Map(this.state.members.map((m) => [m.email, m]));
  }

  get workspace() {
    return this.state.workspace;
  }

  member(index: number): BbMember {
    const m = this.state.members[index];
    if (!m) throw new Error(`no member ${index}`);
    return m;
  }

  /** By UUID (with or without braces), account id, email or nickname. */
  findMember(key: string): BbMember | null {
    const k = key.trim();
    return (
      this.#byUuid.get(k) ??
      this.#byUuid.get(`{${k}}`) ??
      this.#byEmail.get(k.toLowerCase()) ??
      this.state.members.find((m) => m.accountId === k || m.nickname === k) ??
      null
    );
  }

  repository(slug: string): BbRepository | null {
    return this.state.repositories.find((r) => r.slug === slug) ?? null;
  }

  history(repo: BbRepository): RepoHistory {
    const today = this.clock.dayIndex(this.clock.now());
    let h = this.#histories.get(repo.index);
    if (h) this.#histories.delete(repo.index);
    if (!h || h.throughDay < today) h = buildHistory(this.dayContext, repo, today);
    this.#histories.set(repo.index, h);
    if (this.#histories.size > CACHED_HISTORIES) this.#histories.delete(this.#histories.keys().next().value as number);
    return h;
  }

  /** The time of the repository's newest visible commit, without building its whole history. */
  lastCommitAt(repo: BbRepository): number | null {
    const now = this.clock.now();
    const today = this.clock.dayIndex(now);
    let cached = this.#lastCommitBefore.get(repo.index);
    if (!cached || cached.day !== today) {
      let at: number | null = null;
      for (let day = Math.min(today - 1, repo.lastActiveDay); day >= repo.firstActiveDay && at === null; day--)
        at = repoDay(this.dayContext, repo, day).commits.at(-1)?.date ?? null;
      cached = { day: today, at };
      this.#lastCommitBefore.set(repo.index, cached);
    }
    const todays = repoDay(this.dayContext, repo, today).commits.filter((c) => c.date <= now).at(-1)?.date;
    return todays ?? cached.at;
  }

  repositoryUpdatedOn(repo: BbRepository): number {
    return Math.max(repo.createdOn, this.lastCommitAt(repo) ?? 0, this.bumpedAt('repository', repo, 0) ?? 0);
  }

  bump(kind: BumpKind, repo: BbRepository, id: number, at: number): void {
    this.#bumps.set(`${kind}:${repo.index}:${id}`, at);
  }

  bumpedAt(kind: BumpKind, repo: BbRepository, id: number): number | null {
    return this.#bumps.get(`${kind}:${repo.index}:${id}`) ?? null;
  }

  /** Paid seats: every member of the workspace, unless the simulator was told another number. */
  seats(): number {
    return this.#paidSeats ?? this.state.members.length;
  }
}
