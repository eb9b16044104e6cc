/**
 * A stand-in provider API whose every answer is generated from the provider's own OpenAPI document: for
 * the path asked, the documented 200 schema, filled with random values (support/openapi-fake.ts) and checked
 * with Ajv against the document before it is sent. The suite tells it which stream is syncing and how to
 * answer:
 *   complete   documented, every property present
 *   sparse     documented, optional properties missing at random, nullable ones sometimes null
 *   corrupt    complete, but about a third of the records broken where the stream's own schema needs them
 *              (a required field removed or of the wrong type, or a timestamp that is no timestamp);
 *              each broken record carries a marker `tally_fuzz` so the suite can find it in quarantine
 *   garbage    bodies that are not the documented shape at all
 * Lists answer two pages (a `next` link on the first), so paging is exercised too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { loadProviderDocument } from '../../../src/simulators/specs.ts';
import { Random } from '../../../src/simulators/core/random.ts';
import type { ProviderSlug } from '../../../src/api/contracts/connections.ts';
import type { StreamDefinition } from '../../../src/sync/types.ts';
import { ResponseValidator } from '../../simulators/support/openapi-validator.ts';
import { OpenApiFaker } from './openapi-fake.ts';

export type FuzzMode = 'complete' | 'sparse' | 'corrupt' | 'garbage';
export type Broken = { marker: string; stream: string; key: string; how: 'removed' | 'wrong type' | 'not a timestamp' };

type Json = Record<string, any>;
const validators = { digitalocean: new ResponseValidator('digitalocean'), bitbucket: new ResponseValidator('bitbucket') };
const API_PREFIX: Record<ProviderSlug, string> = { digitalocean: '/digitalocean', bitbucket: '/bitbucket/2.0' };

/** `/v2/projects/abc/resources` -> `/v2/projects/{project_id}/resources`, the most literal match first. */
function documentPath(provider: ProviderSlug, path: string): string | null {
  const doc = loadProviderDocument(provider);
  const parts = path.split('/');
  const literal = (t: string) => t.split('/').filter((s) => !s.startsWith('{')).length;
  const candidates = Object.keys(doc.paths).filter((t) => {
    const segs = t.split('/');
    return segs.length === parts.length && segs.every((seg, i) => seg.startsWith('{') || seg === parts[i]);
  });
  return candidates.sort((a, b) => literal(b) - literal(a))[0] ?? null;
}

/** Keys a stream's record schema cannot do without (its zod object's required fields). */
function requiredKeys(stream: StreamDefinition): Array<[string, z.ZodType]> {
  const shape = (stream.schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape).filter(([, s]) => !s.safeParse(undefined).success);
}

/** Keys a stream's `extract` fills in from the parent (a record's repository, its invoice): not the record's to break. */
function suppliedByExtract(stream: StreamDefinition): Set<string> {
  if (!stream.extract) return new Set();
  const parent = { externalId: 'parent', data: { uuid: 'u', full_name: 'w/r', slug: 'r', workspace: { uuid: 'w', slug: 'w' } } };
  const key = stream.pagination.kind === 'digitalocean' ? stream.pagination.recordsKey : 'values';
  try {
    return new Set(Object.keys((stream.extract({ [key]: [{}] }, parent, new URL('http://fuzz.invalid/'))[0] ?? {}) as object));
  } catch {
    return new Set(); // derived records (metrics): never broken here
  }
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Where a page's records sit in the body, as the engine will look for them; null when they are derived (metrics). */
function recordsIn(stream: StreamDefinition, body: Json): Json[] | null {
  const p = stream.pagination;
  if (p.kind === 'bitbucket') return Array.isArray(body.values) ? body.values : null;
  if (p.kind === 'digitalocean') return Array.isArray(body[p.recordsKey]) ? body[p.recordsKey] : null;
  if (stream.extract) return null;
  const at = p.recordsKey ? body[p.recordsKey] : body;
  return Array.isArray(at) ? at : at && typeof at === 'object' ? [at] : null;
}

export type FuzzServer = {
  baseUrl: string;
  apiBaseUrl(provider: ProviderSlug): string;
  /** What the next requests are for. */
  use(provider: ProviderSlug, stream: StreamDefinition, mode: FuzzMode, seed: number): void;
  stats: { requests: number; generated: number; validOnFirstTry: number; invalidAfterRetries: number; ungenerated: Set<string>; records: number; broken: Broken[] };
  close(): Promise<void>;
};

export async function startFuzzServer(): Promise<FuzzServer> {
  let current: { provider: ProviderSlug; stream: StreamDefinition; mode: FuzzMode; random: Random; seed: number } | undefined;
  const stats: FuzzServer['stats'] = { requests: 0, generated: 0, validOnFirstTry: 0, invalidAfterRetries: 0, ungenerated: new Set(), records: 0, broken: [] };
  let counter = 0;

  function generate(provider: ProviderSlug, template: string, complete: boolean): Json | null {
    const found = validators[provider].response('GET', template, 200);
    const schema = (found?.response.content as Json | undefined)?.['application/json']?.schema;
    if (!schema) return null;
    for (let attempt = 0; attempt < 25; attempt++) {
      const body = new OpenApiFaker(loadProviderDocument(provider), current!.seed * 100_003 + counter++, { complete }).value(schema) as Json;
      stats.generated++;
      if (validators[provider].check('GET', template, 200, 'application/json', body).errors.length === 0) {
        if (attempt === 0) stats.validOnFirstTry++;
        return body;
      }
    }
    stats.invalidAfterRetries++;
    stats.ungenerated.add(`${provider} GET ${template}`);
    throw new Error(`no valid body for GET ${template} in 25 tries`);
  }

  function corrupt(stream: StreamDefinition, records: Json[], random: Random) {
    const supplied = suppliedByExtract(stream);
    const keys = requiredKeys(stream).filter(([key]) => !supplied.has(key));
    for (const record of records) {
      if (!record || typeof record !== 'object' || random.next() > 0.34 || keys.length === 0) continue;
      const [key, schema] = keys[Math.floor(random.next() * keys.length)]!;
      const marker = `fuzz-${++counter}`;
      const timestamp = typeof record[key] === 'string' && ISO_TIMESTAMP.test(record[key]);
      const roll = random.next();
      let how: Broken['how'];
      if (timestamp && roll < 0.5) {
        record[key] = 'not a timestamp';
        how = 'not a timestamp';
      } else if (roll < 0.75) {
        delete record[key];
        how = 'removed';
      } else {
        record[key] = [null, 12345, 'wrong', true, [], {}].find((v) => !schema.safeParse(v).success);
        how = 'wrong type';
      }
      record.tally_fuzz = marker;
      stats.broken.push({ marker, stream: stream.name, key, how });
    }
  }

  const garbage = (random: Random): unknown => [[], 'text', 42, null, {}, { values: 'oops' }, { values: [1, 'two', null, [3]] }, { droplets: {}, links: 7 }, 'x'.repeat(10_000)][Math.floor(random.next() * 9)];

  function answer(url: URL): { status: number; body: unknown } {
    const c = current;
    if (!c) return { status: 500, body: { message: 'no stream set' } };
    const provider = (url.pathname.startsWith(API_PREFIX.bitbucket) ? 'bitbucket' : url.pathname.startsWith(API_PREFIX.digitalocean) ? 'digitalocean' : null) as ProviderSlug | null;
    const template = provider && documentPath(provider, decodeURIComponent(url.pathname.slice(API_PREFIX[provider].length)));
    if (!provider || !template) return { status: 404, body: { id: 'not_found', message: `${url.pathname} is not in the document` } };
    if (c.mode === 'garbage') return { status: 200, body: garbage(c.random) };
    const body = generate(provider, template, c.mode !== 'sparse');
    if (!body) return { status: 404, body: { id: 'not_found', message: `GET ${template} has no documented 200 body` } };
    const list = c.stream.pagination.kind !== 'single';
    if (list) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      if (provider === 'digitalocean') body.links = page === 1 ? { pages: { next: next.toString() } } : {};
      else if (page === 1) body.next = next.toString();
      else delete body.next;
    }
    const records = recordsIn(c.stream, body);
    stats.records += records?.length ?? 0;
    if (c.mode === 'corrupt' && records) corrupt(c.stream, records, c.random);
    return { status: 200, body };
  }

  const server = http.createServer((req, res) => {
    stats.requests++;
    let out: { status: number; body: unknown };
    try {
      out = answer(new URL(req.url ?? '/', 'http://fuzz.invalid'));
    } catch (error) {
      out = { status: 500, body: { message: (error as Error).message } };
    }
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    apiBaseUrl: (provider) => baseUrl + API_PREFIX[provider],
    use(provider, stream, mode, seed) {
      current = { provider, stream, mode, seed, random: new Random(seed) };
    },
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
