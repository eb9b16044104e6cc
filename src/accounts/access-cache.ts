import type { Database } from '../store/database.ts';
import type { RoleValue } from '../store/schema.ts';

/**
 * Sessions and memberships as last read from the database, so that a request the analytics cache answers
 * costs no database round trip for its guard (two of its three queries before; about half the API
 * process's CPU under the load benchmark went to them).
 *
 * How fresh an answer is:
 * - in the process that made a change (logout, password change, a removed member, a role change), at once:
 *   the change drops the entries it concerns after it committed, and a read that was under way at that
 *   moment is not kept;
 * - in any other process (several Tallys on one database, or `tally users reset-password`), within
 *   ACCESS_CACHE_MS: an entry is trusted for that long after the query that read it started, then read again;
 * - only what exists is kept: an unknown session or a non-member is asked of the database every time, so a
 *   new session or a new membership works at once everywhere.
 */
export const ACCESS_CACHE_MS = 2000;
/** Entries per kind in one process; the least recently read go first (one entry is about 200 bytes). */
const MAX_ENTRIES = 10_000;

export type CachedSession = { userId: string; expiresAt: number; lastSeenAt: number };
type Kept<V> = { value: V; readAt: number };

class BoundedMap<V> {
  #entries = new Map<string, Kept<V>>();

  get(key: string): Kept<V> | undefined {
    return this.#entries.get(key);
  }

  set(key: string, kept: Kept<V>): void {
    // Map keeps insertion order: re-inserting makes it the newest.
    this.#entries.delete(key);
    this.#entries.set(key, kept);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
  }

  deleteWhere(test: (key: string, value: V) => boolean): void {
    for (const [key, kept] of this.#entries) if (test(key, kept.value)) this.#entries.delete(key);
  }
}

const roleKey = (organizationId: string, userId: string) => `${organizationId} ${userId}`;

export class AccessCache {
  readonly ttlMs: number;
  #sessions = new BoundedMap<CachedSession>();
  #roles = new BoundedMap<RoleValue>();
  #inFlight = new Map<string, Promise<unknown>>();
  /** Moves on every local change: a read that started before it is answered but not kept. */
  #generation = 0;
  stats = { hits: 0, misses: 0 };

  constructor(ttlMs = ACCESS_CACHE_MS) {
    this.ttlMs = ttlMs;
  }

  /** The live session for this token hash: kept, being read by another request (shared), or read by `load`. */
  session(tokenHash: string, load: () => Promise<CachedSession | undefined>): Promise<CachedSession | undefined> {
    return this.#read(this.#sessions, `s ${tokenHash}`, tokenHash, load, (s) => s.expiresAt > Date.now());
  }

  /** The user's role in the organization, or undefined when not a member. */
  role(organizationId: string, userId: string, load: () => Promise<RoleValue | undefined>): Promise<RoleValue | undefined> {
    const key = roleKey(organizationId, userId);
    return this.#read(this.#roles, `r ${key}`, key, load, () => true);
  }

  /** Call after a logout or password change committed. `except` keeps the session that made the change. */
  forgetSessions(test: { tokenHash: string } | { userId: string; except?: string }): void {
    this.#generation++;
    this.#inFlight.clear();
    if ('tokenHash' in test) this.#sessions.deleteWhere((key) => key === test.tokenHash);
    else this.#sessions.deleteWhere((key, s) => s.userId === test.userId && key !== test.except);
  }

  /** Call after a membership was removed or its role changed, once committed. */
  forgetMembership(organizationId: string, userId: string): void {
    this.#generation++;
    this.#inFlight.clear();
    const gone = roleKey(organizationId, userId);
    this.#roles.deleteWhere((key) => key === gone);
  }

  async #read<V>(map: BoundedMap<V>, flightKey: string, key: string, load: () => Promise<V | undefined>, usable: (v: V) => boolean): Promise<V | undefined> {
    const kept = map.get(key);
    if (kept && Date.now() - kept.readAt < this.ttlMs && usable(kept.value)) {
      this.stats.hits++;
      return kept.value;
    }
    this.stats.misses++;
    let flight = this.#inFlight.get(flightKey) as Promise<V | undefined> | undefined;
    if (!flight) {
      const generation = this.#generation;
      // Trusted for ttlMs from when the query started: whatever committed before that, it saw.
      const readAt = Date.now();
      const started: Promise<V | undefined> = load().then((value) => {
        if (value !== undefined && generation === this.#generation) map.set(key, { value, readAt });
        return value;
      });
      flight = started;
      this.#inFlight.set(flightKey, started);
      const done = () => {
        if (this.#inFlight.get(flightKey) === started) this.#inFlight.delete(flightKey);
      };
      started.then(done, done);
    }
    return flight;
  }
}

const caches = new WeakMap<Database, AccessCache>();

/** One cache per database handle: one per Tally process (two Tallys in one test process keep two). */
export function accessCache(db: Database): AccessCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new AccessCache()));
  return cache;
}
