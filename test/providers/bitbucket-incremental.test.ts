import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issues } from '../../src/providers/bitbucket/streams/issues.ts';
import { pullRequests } from '../../src/providers/bitbucket/streams/pull-requests.ts';
import { repositories, commits } from '../../src/providers/bitbucket/streams/repositories.ts';
import { workspaces } from '../../src/providers/bitbucket/streams/workspaces.ts';
import type { AdvanceSummary, RunningSimulators } from '../../src/simulators/index.ts';
import type { ParentRecord } from '../../src/sync/types.ts';
import { control, mintToken, simulatedNow, startStreamSimulators } from './support/sim.ts';
import { firstUrl, walkStreams } from './support/walk.ts';

let sims: RunningSimulators;
let token: string;
let repos: ParentRecord[];

const api = () => sims.info.bitbucket.apiBaseUrl;
async function get(url: URL | string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

async function readRepositories(): Promise<ParentRecord[]> {
  const walked = await walkStreams([workspaces, repositories], { apiBaseUrl: api(), token, now: await simulatedNow(sims) });
  return walked.get('repositories')!.records.map(({ record }) => ({ externalId: repositories.id(record), data: record }));
}

/**
 * Reads a repository's pull requests from `since`, each next page asked for as "updated at or after the
 * last one read" (keyset paging) instead of by page number; `between` runs after each page.
 */
async function keysetWalk(repo: ParentRecord, since: string | undefined, between: (page: number, read: any[]) => Promise<void>): Promise<any[]> {
  const read: any[] = [];
  let cursor = since;
  for (let page = 1; ; page++) {
    const { body } = await get(firstUrl(pullRequests, api(), repo, await simulatedNow(sims), cursor));
    const fresh = body.values.filter((pr: any) => !read.some((r) => r.id === pr.id && r.updated_on === pr.updated_on));
    read.push(...body.values);
    await between(page, read);
    if (!body.next || fresh.length === 0) return read;
    cursor = body.values.at(-1).updated_on;
  }
}

const bump = (repo: ParentRecord, ids: number[]) => control(sims, 'POST', '/bitbucket/mutate', { kind: 'pullrequests', repository: repo.data.full_name, ids });

beforeAll(async () => {
  sims = await startStreamSimulators();
  token = await mintToken(sims, 'bitbucket');
  repos = await readRepositories();
});
afterAll(() => sims?.close());

describe('Bitbucket incremental streams', () => {
  it('miss no pull request when some change while the list is read (paged by the cursor, oldest update first)', async () => {
    const counts = await Promise.all(repos.map(async (r) => (await get(firstUrl(pullRequests, api(), r, new Date(), undefined))).body.size as number));
    const repo = repos[counts.indexOf(Math.max(...counts))]!;
    expect(Math.max(...counts)).toBeGreaterThan(50);
    const ids = async () => (await walkStreams([pullRequests], { apiBaseUrl: api(), token, now: await simulatedNow(sims), parents: [repo] })).get('pull_requests')!.records.map(({ record }) => record.id as number);
    const before = await ids();
    // After the first page, one pull request already read and one not yet read change.
    const read = await keysetWalk(repo, undefined, async (page, seen) => {
      if (page === 1) await bump(repo, [seen[10].id, before.find((id) => !seen.some((pr) => pr.id === id))!]);
    });
    expect(new Set(read.map((pr) => pr.id))).toEqual(new Set(await ids()));
    expect(new Set(read.map((pr) => pr.id)).size).toBe(before.length);
  });

  it('ask for exactly the pull requests updated at or after the cursor', async () => {
    const repo = repos[0]!;
    const first = (await walkStreams([pullRequests], { apiBaseUrl: api(), token, now: await simulatedNow(sims), parents: [repo] })).get('pull_requests')!;
    const cursor = first.records.map(({ record }) => pullRequests.incremental!.value(record)).sort().at(-1)!;
    const atCursor = first.records.filter(({ record }) => record.updated_on === cursor).map(({ record }) => record.id);
    const { touched } = await control<{ touched: Array<{ id: number }> }>(sims, 'POST', '/bitbucket/mutate', { kind: 'pullrequests', repository: repo.data.full_name, count: 3 });
    const again = (await walkStreams([pullRequests], { apiBaseUrl: api(), token, now: await simulatedNow(sims), parents: [repo], since: () => cursor })).get('pull_requests')!;
    expect(again.firstRequests[0]!.searchParams.get('q')).toBe(`updated_on >= "${cursor}"`);
    expect(again.records.map(({ record }) => record.id).sort()).toEqual([...atCursor, ...touched.map((t) => t.id)].sort());
  });

  it('skip the children of repositories nothing was pushed to since the last complete pass', async () => {
    const lastPass = await simulatedNow(sims);
    expect(repos.every((r) => commits.shouldFetch!(r, undefined))).toBe(true);
    expect(repos.some((r) => commits.shouldFetch!(r, lastPass))).toBe(false);
    const advance = await control<AdvanceSummary>(sims, 'POST', '/time/advance', { days: 1 });
    // Access tokens live two hours.
    token = await mintToken(sims, 'bitbucket');
    const pushedTo = Object.entries(advance.bitbucket.byRepository).filter(([, n]) => n.commits > 0).map(([slug]) => slug);
    expect(pushedTo.length).toBeGreaterThan(0);
    const fetched = (await readRepositories()).filter((r) => commits.shouldFetch!(r, lastPass)).map((r) => r.data.slug);
    expect(fetched.sort()).toEqual(pushedTo.sort());
  });

  it('leave out repositories without an issue tracker, whose issues answer 404', async () => {
    const off = repos.find((r) => r.data.has_issues === false)!;
    expect(issues.shouldFetch!(off, undefined)).toBe(false);
    expect((await get(firstUrl(issues, api(), off, new Date(), undefined))).status).toBe(404);
    expect(issues.notFoundMeans).toMatch(/issue tracker is disabled/);
  });
});
