/**
 * A test-only pager: runs stream definitions against the simulators the way the definitions describe
 * (path, query, pagination, extract, parent -> child, shouldFetch), with nothing of the engine (no
 * retries, no storage). It keeps every request URL and every record, parsed or failed.
 */
import type { ParentRecord, StreamDefinition } from '../../../src/sync/types.ts';

export interface WalkedStream {
  name: string;
  /** Records that parsed, with the parent they came from. */
  records: Array<{ record: any; parent: ParentRecord | undefined }>;
  failures: Array<{ record: unknown; issues: string }>;
  /** Every URL requested, in order; `firstRequests` are the ones the definition built (not `next` links). */
  requests: URL[];
  firstRequests: URL[];
  /** Parents skipped by `shouldFetch`. */
  skipped: number;
  /** Requests that failed: the walk goes on with the next parent, so one broken list does not hide the others. */
  errors: string[];
}

export interface WalkOptions {
  apiBaseUrl: string;
  token: string;
  /** Simulated now, for streams whose query depends on the clock. */
  now: Date;
  /** Children run for at most this many parents (the first ones the parent stream gave). */
  maxParents?: number;
  /** Per stream: the parents to use instead of the first ones (e.g. the busiest repositories). */
  pickParents?: (stream: string, parents: ParentRecord[]) => ParentRecord[];
  /** Parents given outright, for a child stream walked without its parent stream. */
  parents?: ParentRecord[];
  /** Streams to leave out. */
  skip?: string[];
  /** The cursor an incremental stream starts from (the engine's `since`); undefined means a first pass. */
  since?: (stream: string) => string | undefined;
  /** Called after each page, e.g. to change records while a list is being read. */
  afterPage?: (stream: string, page: number) => Promise<void>;
}

type Body = Record<string, unknown>;

async function getJson(url: URL, token: string): Promise<Body> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const text = await res.text();
  if (res.status !== 200) throw Object.assign(new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`), { status: res.status });
  return JSON.parse(text) as Body;
}

function defaultRecords(stream: StreamDefinition, body: Body): unknown[] {
  const p = stream.pagination;
  if (p.kind === 'bitbucket') return body.values as unknown[];
  if (p.kind === 'digitalocean') return body[p.recordsKey] as unknown[];
  if (p.recordsKey === undefined) return [body];
  const found = body[p.recordsKey];
  return Array.isArray(found) ? found : [found];
}

function nextUrl(stream: StreamDefinition, body: Body): string | undefined {
  if (stream.pagination.kind === 'bitbucket') return body.next as string | undefined;
  if (stream.pagination.kind === 'digitalocean') return (body.links as { pages?: { next?: string } } | undefined)?.pages?.next;
  return undefined;
}

export function firstUrl(stream: StreamDefinition, base: string, parent: ParentRecord | undefined, now: Date, since: string | undefined): URL {
  const path = typeof stream.path === 'string' ? stream.path : stream.path(parent as ParentRecord);
  const url = new URL(base + path);
  const fixed = typeof stream.query === 'function' ? stream.query({ parent, now }) : (stream.query ?? {});
  const cursor = stream.incremental ? stream.incremental.query(since) : {};
  for (const [k, v] of Object.entries({ ...fixed, ...cursor })) url.searchParams.set(k, v);
  const p = stream.pagination;
  if (p.kind === 'digitalocean') url.searchParams.set('per_page', String(p.pageSize));
  if (p.kind === 'bitbucket') url.searchParams.set('pagelen', String(p.pageSize));
  return url;
}

async function walkOne(stream: StreamDefinition, parent: ParentRecord | undefined, out: WalkedStream, options: WalkOptions): Promise<void> {
  let url: URL | undefined = firstUrl(stream, options.apiBaseUrl, parent, options.now, options.since?.(stream.name));
  let page = 0;
  out.firstRequests.push(url);
  while (url) {
    out.requests.push(url);
    let body: Body;
    try {
      body = await getJson(url, options.token);
    } catch (error) {
      // A child's 404 is "feature off" only where the stream says so (e.g. no issue tracker).
      if ((error as { status?: number }).status === 404 && stream.notFoundMeans && parent) return;
      out.errors.push((error as Error).message);
      return;
    }
    const raw = stream.extract ? stream.extract(body, parent, new URL(url)) : defaultRecords(stream, body);
    for (const record of raw) {
      const parsed = stream.schema.safeParse(record);
      if (parsed.success) out.records.push({ record: parsed.data, parent });
      else out.failures.push({ record, issues: parsed.error.message });
    }
    await options.afterPage?.(stream.name, ++page);
    const next = nextUrl(stream, body);
    url = next ? new URL(next) : undefined;
  }
}

/** Walks the streams in order, each to its last page; children for the first `maxParents` parents. */
export async function walkStreams(streams: StreamDefinition[], options: WalkOptions): Promise<Map<string, WalkedStream>> {
  const walked = new Map<string, WalkedStream>();
  for (const stream of streams) {
    if (options.skip?.includes(stream.name)) continue;
    const out: WalkedStream = { name: stream.name, records: [], failures: [], requests: [], firstRequests: [], skipped: 0, errors: [] };
    walked.set(stream.name, out);
    if (!stream.parent) {
      await walkOne(stream, undefined, out, options);
      continue;
    }
    let parents = options.parents;
    if (!parents) {
      const parentStream = streams.find((s) => s.name === stream.parent);
      const parentWalk = walked.get(stream.parent ?? '');
      if (!parentStream || !parentWalk) throw new Error(`${stream.name}: its parent ${stream.parent} must come earlier`);
      parents = parentWalk.records.map(({ record }) => ({ externalId: parentStream.id(record), data: record }));
      parents = options.pickParents ? options.pickParents(stream.name, parents) : parents.slice(0, options.maxParents ?? parents.length);
    }
    for (const parent of parents) {
      if (stream.shouldFetch && !stream.shouldFetch(parent, undefined)) {
        out.skipped++;
        continue;
      }
      await walkOne(stream, parent, out, options);
    }
  }
  return walked;
}
