/**
 * Run by test/simulators/large-preset.test.ts as `node --expose-gc heap-probe.ts`, in a process of its own
 * so the heap it measures holds the simulators and nothing of the test runner's, and so it can collect
 * garbage before each reading. It prints one JSON line:
 * - `startedMB`: what starting the large preset retains (members, projects, repositories, the DigitalOcean team);
 * - `servedMB`: what is still retained after every commit of every `SERVE_EVERY`th repository (four times as
 *   many repositories as the simulator caches histories for) was served over HTTP;
 * - `wholeHistoryMB`: what the whole history would take if held, measured by building and holding the
 *   history of every `SAMPLE_EVERY`th repository, scaled up to all of them.
 */
import { buildHistory } from '../../../src/simulators/bitbucket/history.ts';
import { generateBitbucket } from '../../../src/simulators/bitbucket/generate.ts';
import type { RepoHistory } from '../../../src/simulators/bitbucket/history.ts';
import { startSimulators } from '../../../src/simulators/index.ts';
import { EPOCH, SEED } from './sim.ts';

const SERVE_EVERY = 4;
const SAMPLE_EVERY = 10;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('heap-probe needs node --expose-gc');

function retainedMB(): number {
  // Two passes: the first may only schedule finalizers that free more.
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 1e6;
}

const base = retainedMB();
const sims = await startSimulators({ preset: 'large', seed: SEED, epoch: EPOCH, freezeTime: true });
const started = retainedMB();

const api = sims.info.bitbucket.apiBaseUrl;
const token = ((await (await fetch(`${sims.baseUrl}/_sim/bitbucket/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { access_token: string }).access_token;
const get = async (url: string) => {
  const res = await fetch(url.startsWith('http') ? url : `${api}${url}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { values: Array<{ slug?: string }>; next?: string };
};

const slugs: string[] = [];
for (let page: { values: Array<{ slug?: string }>; next?: string } | null = await get('/repositories/northwind?pagelen=100'); page; page = page.next ? await get(page.next) : null)
  slugs.push(...page.values.map((r) => r.slug!));
let commitsServed = 0;
let requests = 0;
const servingStarted = performance.now();
const servedSlugs = slugs.filter((_, i) => i % SERVE_EVERY === 0);
for (const slug of servedSlugs) {
  for (let page: { values: unknown[]; next?: string } | null = await get(`/repositories/northwind/${slug}/commits?pagelen=100`); page; page = page.next ? await get(page.next) : null) {
    commitsServed += page.values.length;
    requests++;
  }
}
const servingMs = performance.now() - servingStarted;
const served = retainedMB();
await sims.close();

// The whole history, for comparison: a sample of repositories' histories built as the simulator builds
// them and all held at once.
const state = generateBitbucket('large', SEED, Date.parse(EPOCH));
const context = { seed: SEED, epochMs: Date.parse(EPOCH), members: state.members };
const beforeSample = retainedMB();
const held: RepoHistory[] = [];
for (let i = 0; i < state.repositories.length; i += SAMPLE_EVERY) held.push(buildHistory(context, state.repositories[i]!, 0));
const sampleMB = retainedMB() - beforeSample;
const sampleCommits = held.reduce((n, h) => n + h.commits.length, 0);

console.log(
  JSON.stringify({
    repositories: slugs.length,
    servedRepositories: servedSlugs.length,
    commitsServed,
    requests,
    servingMs: Math.round(servingMs),
    startedMB: started - base,
    servedMB: served - base,
    wholeHistoryMB: (sampleMB * state.repositories.length) / held.length,
    sampledRepositories: held.length,
    sampleCommits,
  }),
);
