import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../store/database.ts';
import { utcDay } from './dates.ts';

/**
 * Answers of the analytics GET routes, kept in memory and served again until the organization's data
 * version moves. The data only changes when a recompute, an admin's correction or a connection's status
 * changes it, while the dashboard asks the same questions over and over: a repeated read costs one
 * primary-key lookup (shared by every request waiting at that moment) instead of the analytics SQL.
 *
 * Why a stale answer cannot be served, even with several Tally processes on one database:
 * - the version lives in Postgres (analytics_versions); every request reads it after it arrived, and an
 *   answer is only served to a request that read the same version the answer was computed under;
 * - every writer bumps it after (or atomically with) its write: recomputes and connection/sync-run changes
 *   by trigger (migration 202611231300_analytics_versions), admin actions from their routes, so an answer
 *   computed from the old data is filed under the old version, which no later request reads;
 * - the key holds the UTC day, because answers say "today" (levels, trailing windows, snoozes).
 * What a sync writes into its raw tables between two recomputes shows once its run ends (the recompute
 * after it bumps the version), which is also when the rollups catch up.
 */

/** Memory the cached bodies may take in one process; least recently used answers go first. */
export const CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** An answer bigger than this (a very long page) is not worth evicting many others for. */
const MAX_ENTRY_BYTES = CACHE_MAX_BYTES / 16;

type Entry = { version: string; body: Buffer; etag: string; bytes: number };

/** A map bounded by the bytes of its values, evicting the least recently used. */
export class LruByBytes {
  readonly maxBytes: number;
  bytes = 0;
  #entries = new Map<string, Entry>();

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      // Map keeps insertion order: re-inserting makes it the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    if (entry.bytes > this.maxBytes) return;
    this.#entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest, old] of this.#entries) {
      if (this.bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.bytes -= old.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

type Batch = { orgs: Set<string>; done: Promise<Map<string, string>>; resolve: (m: Map<string, string>) => void; reject: (e: unknown) => void };

/**
 * Reads organizations' data versions, one query at a time: requests arriving while a read is under way
 * share the next one. A request never joins a read that started before it arrived (that read could predate
 * a write the caller already saw answered).
 */
class VersionReader {
  #db: Database;
  #running = false;
  #next: Batch | null = null;
  /** Queries made, for the load benchmark: how many requests each read served. */
  reads = 0;

  constructor(db: Database) {
    this.#db = db;
  }

  async read(organizationId: string): Promise<string> {
    if (!this.#next) {
      let resolve!: Batch['resolve'];
      let reject!: Batch['reject'];
      const done = new Promise<Map<string, string>>((res, rej) => ((resolve = res), (reject = rej)));
      this.#next = { orgs: new Set(), done, resolve, reject };
    }
    const batch = this.#next;
    batch.orgs.add(organizationId);
    if (!this.#running) void this.#start();
    return (await batch.done).get(organizationId) ?? '0';
  }

  async #start(): Promise<void> {
    const batch = this.#next!;
    this.#next = null;
    this.#running = true;
    this.reads++;
    try {
      const rows = await sql<{ organization_id: string; version: string }>`
        select organization_id::text, version::text from analytics_versions where organization_id = any(${[...batch.orgs]}::uuid[])`.execute(this.#db);
      batch.resolve(new Map(rows.rows.map((r) => [r.organization_id, r.version])));
    } catch (error) {
      batch.reject(error);
    } finally {
      this.#running = false;
      if (this.#next) void this.#start();
    }
  }
}

/** One process's cache of analytics answers (one per database handle, so two Tallys in a test keep two). */
export class AnalyticsCache {
  readonly entries: LruByBytes;
  readonly versions: VersionReader;
  #inFlight = new Map<string, Promise<Entry>>();
  stats = { hits: 0, misses: 0 };

  constructor(db: Database, maxBytes = CACHE_MAX_BYTES) {
    this.entries = new LruByBytes(maxBytes);
    this.versions = new VersionReader(db);
  }

  /**
   * The answer for `key` at the organization's current version: kept, being computed by another request
   * (shared), or computed now by `compute` and serialized by `serialize`.
   */
  async answer(organizationId: string, key: string, compute: () => Promise<unknown>, serialize: (value: unknown) => string | Buffer | ArrayBuffer): Promise<{ entry: Entry; hit: boolean }> {
    const version = await this.versions.read(organizationId);
    const kept = this.entries.get(key);
    if (kept?.version === version) {
      this.stats.hits++;
      return { entry: kept, hit: true };
    }
    this.stats.misses++;
    const flightKey = `${version}\n${key}`;
    let flight = this.#inFlight.get(flightKey);
    if (!flight) {
      flight = (async () => {
        const out = serialize(await compute());
        const body = typeof out === 'string' ? Buffer.from(out) : Buffer.from(out instanceof ArrayBuffer ? new Uint8Array(out) : out);
        const entry: Entry = { version, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, bytes: body.length + 2 * key.length + 64 };
        if (entry.bytes <= Math.min(MAX_ENTRY_BYTES, this.entries.maxBytes)) this.entries.set(key, entry);
        return entry;
      })();
      this.#inFlight.set(flightKey, flight);
      // Whatever the outcome, the next request after this one computes afresh.
      flight.then(
        () => this.#inFlight.delete(flightKey),
        () => this.#inFlight.delete(flightKey),
      );
    }
    return { entry: await flight, hit: false };
  }
}

const caches = new WeakMap<Database, AnalyticsCache>();

export function analyticsCache(db: Database): AnalyticsCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new AnalyticsCache(db)));
  return cache;
}

/**
 * Moves the data version of these organizations: every cached answer of theirs, in every process, is then
 * recomputed on its next read. Call it after the write committed (or inside the writing transaction).
 */
export async function bumpAnalyticsVersion(ctx: { db: Database }, organizationIds: Iterable<string>): Promise<void> {
  // Sorted, so two writers bumping several organizations lock their rows in one order.
  const ids = [...new Set(organizationIds)].sort();
  if (!ids.length) return;
  await sql`select bump_analytics_version(id) from unnest(${ids}::uuid[]) as id`.execute(ctx.db);
}

/** The same, for the organizations owning these connections. */
export async function bumpAnalyticsVersionOfConnections(ctx: { db: Database }, connectionIds: string[]): Promise<void> {
  const rows = await ctx.db.selectFrom('connections').select('organization_id').where('id', 'in', connectionIds.length ? connectionIds : ['00000000-0000-0000-0000-000000000000']).execute();
  await bumpAnalyticsVersion(ctx, rows.map((r) => r.organization_id));
}

/** What makes two requests the same question: route, path parameters, validated query (defaults filled in), day, role. */
function keyOf(req: FastifyRequest, organizationId: string, role: string): string {
  const sorted = (o: unknown) => JSON.stringify(Object.entries((o ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  // The role is in the key although no answer depends on it today: if one ever does, members and admins
  // still never share an answer.
  return [organizationId, utcDay(), role, req.routeOptions.url, sorted(req.params), sorted(req.query)].join('\n');
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * Answers a GET analytics route from the cache (or computes, keeps and answers), as JSON with an ETag; a
 * client that sends the ETag back gets 304 while the data is unchanged. The body is serialized by the
 * route's own response schema, so a cached answer is byte for byte what the route would have sent.
 */
export async function answerCached(db: Database, req: FastifyRequest, reply: FastifyReply, org: { id: string; role: string }, compute: () => Promise<unknown>): Promise<FastifyReply> {
  const { entry, hit } = await analyticsCache(db).answer(org.id, keyOf(req, org.id, org.role), compute, (value) => reply.serialize(value));
  // Private: answers are one organization's data, never for a shared cache; no-cache: revalidate each time.
  reply.header('cache-control', 'private, no-cache').header('etag', entry.etag).header('x-tally-cache', hit ? 'hit' : 'miss');
  if (matches(req.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(entry.body);
}
