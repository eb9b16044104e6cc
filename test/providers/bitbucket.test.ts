import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprecatedStreams, streams } from '../../src/providers/bitbucket/streams/index.ts';
import type { RunningSimulators, SimulatorTruth } from '../../src/simulators/index.ts';
import type { ActivityFact, AppAccount } from '../../src/sync/types.ts';
import { checkRequest } from './support/documented.ts';
import { countersOf, mintToken, simulatedNow, startStreamSimulators, truthOf } from './support/sim.ts';
import { walkStreams } from './support/walk.ts';
import type { WalkedStream } from './support/walk.ts';

let sims: RunningSimulators;
let truth: SimulatorTruth['bitbucket'];
let walked: Map<string, WalkedStream>;
let deprecatedCallsAfterStreams: Record<string, number>;

const all = [...streams, ...deprecatedStreams];
const stream = (name: string) => walked.get(name) as WalkedStream;
const records = (name: string) => stream(name).records.map((r) => r.record);
const definition = (name: string) => all.find((s) => s.name === name)!;
const factsOf = (name: string): ActivityFact[] => stream(name).records.flatMap(({ record, parent }) => definition(name).activity?.(record, parent) ?? []);
const accountsOf = (name: string): AppAccount[] => stream(name).records.flatMap(({ record, parent }) => definition(name).accounts?.(record, parent) ?? []);

/** (account -> day -> count) of the facts of one feature. */
function byAccountDay(facts: ActivityFact[], feature: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const f of facts.filter((x) => x.feature === feature)) {
    const days = (out[f.accountId] ??= {});
    days[f.day] = (days[f.day] ?? 0) + f.count;
  }
  return out;
}

beforeAll(async () => {
  sims = await startStreamSimulators();
  truth = (await truthOf(sims)).bitbucket;
  const options = { apiBaseUrl: sims.info.bitbucket.apiBaseUrl, token: await mintToken(sims, 'bitbucket'), now: await simulatedNow(sims) };
  walked = await walkStreams(streams, options);
  deprecatedCallsAfterStreams = (await countersOf(sims)).deprecatedCalls;
  // The issue tracker is deprecated as a whole; walked apart, over the repositories already read.
  const issues = await walkStreams(all, { ...options, skip: streams.map((s) => s.name).filter((n) => n !== 'workspaces' && n !== 'repositories') });
  walked.set('issues', issues.get('issues') as WalkedStream);
}, 60_000);
afterAll(() => sims?.close());

describe('Bitbucket streams against the simulator', () => {
  it('declare parents before children, with unique names', () => {
    const names = all.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const [i, s] of all.entries()) if (s.parent) expect(names.indexOf(s.parent)).toBeLessThan(i);
    expect(all.every((s) => s.provider === 'bitbucket')).toBe(true);
  });

  it('walk every stream to its end: every record parses, ids are unique, pages are as large as allowed', () => {
    for (const s of all) {
      const w = stream(s.name);
      expect(w.errors, s.name).toEqual([]);
      expect(w.failures, `${s.name}: ${w.failures[0]?.issues}`).toEqual([]);
      expect(w.records.length, `${s.name} gave no records`).toBeGreaterThan(0);
      const ids = w.records.map(({ record }) => s.id(record));
      expect(new Set(ids).size, `${s.name} ids`).toBe(ids.length);
      const max = s.name === 'pull_requests' ? '50' : '100';
      for (const url of w.firstRequests) expect(url.searchParams.get('pagelen'), s.name).toBe(max);
    }
    expect(stream('commits').requests.length).toBeGreaterThan(stream('commits').firstRequests.length);
  });

  it('call no deprecated operation, build only documented requests, and keep the issue tracker apart', async () => {
    expect(deprecatedCallsAfterStreams).toEqual({});
    for (const s of streams) for (const url of stream(s.name).firstRequests) expect(checkRequest('bitbucket', url), `${s.name} ${url}`).toEqual([]);
    for (const url of stream('issues').firstRequests) expect(checkRequest('bitbucket', url)).toEqual(['GET /repositories/{workspace}/{repo_slug}/issues is deprecated']);
    expect(Object.keys((await countersOf(sims)).deprecatedCalls)).toEqual(['bitbucket GET /2.0/repositories/{workspace}/{repo_slug}/issues']);
  });

  it('read the workspace, its members with their permission, projects and repositories', () => {
    expect(records('workspaces').map((w) => w.workspace.slug)).toEqual([truth.workspace]);
    expect(records('members')).toHaveLength(truth.members);
    expect(records('workspace_permissions')).toHaveLength(truth.members);
    expect(records('projects').length).toBeGreaterThan(0);
    expect(records('repositories')).toHaveLength(truth.repositories);
    expect(records('repositories').every((r) => typeof r.size === 'number' && r.language !== undefined && r.updated_on)).toBe(true);
    const accounts = accountsOf('workspace_permissions');
    expect(accounts.every((a) => a.email === null && a.name && ['owner', 'collaborator', 'member'].includes(a.role ?? ''))).toBe(true);
    expect(accounts.filter((a) => a.role === 'owner').length).toBeGreaterThan(0);
    expect(accountsOf('members').every((a) => a.email === null && a.role === null)).toBe(true);
  });

  it('count one commit fact per commit, per author and UTC day, exactly as the simulator made them', () => {
    expect(records('commits')).toHaveLength(truth.commits);
    const perRepo: Record<string, number> = {};
    for (const c of records('commits')) perRepo[c.repository.full_name.split('/')[1]] = (perRepo[c.repository.full_name.split('/')[1]] ?? 0) + 1;
    expect(perRepo).toEqual(truth.commitsByRepository);
    // The simulator keys unlinked authors by their raw text; Tally by their email.
    const expected: Record<string, Record<string, number>> = {};
    for (const [author, days] of Object.entries(truth.commitsByAuthorDay)) {
      const email = /<([^>]+)>/.exec(author)?.[1];
      const key = author.startsWith('raw:') ? `email:${email?.toLowerCase()}` : author;
      for (const [day, n] of Object.entries(days)) (expected[key] ??= {})[day] = ((expected[key] ??= {})[day] ?? 0) + n;
    }
    expect(byAccountDay(factsOf('commits'), 'commit')).toEqual(expected);
  });

  it('fill in commit authors: linked ones are members with the email they commit with, others are keyed by email', () => {
    const memberIds = new Set(records('members').map((m) => m.user.uuid));
    const authors = accountsOf('commits');
    const linked = authors.filter((a) => memberIds.has(a.externalId));
    const unlinked = authors.filter((a) => !memberIds.has(a.externalId));
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((a) => a.email?.includes('@') && a.name)).toBe(true);
    expect(unlinked.length).toBeGreaterThan(0);
    expect(unlinked.every((a) => a.externalId === `email:${a.email}` && a.nickname === null)).toBe(true);
  });

  it('read pull requests of every state, oldest update first, with an opened fact per pull request', () => {
    const prs = records('pull_requests');
    const states = { OPEN: 0, MERGED: 0, DECLINED: 0 } as Record<string, number>;
    for (const pr of prs) states[pr.state] = (states[pr.state] ?? 0) + 1;
    expect(states).toEqual(truth.pullRequests);
    const first = stream('pull_requests').firstRequests[0]!;
    expect(first.searchParams.getAll('state')).toEqual(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);
    expect(first.searchParams.get('sort')).toBe('updated_on');
    const opened = factsOf('pull_requests');
    expect(opened).toHaveLength(prs.length);
    expect(opened.every((f) => f.feature === 'pull_request.opened')).toBe(true);
  });

  it("derive reviews and merges from the activity log, and each member's last activity as the simulator has it", () => {
    const facts = factsOf('pull_request_activity');
    const merged = facts.filter((f) => f.feature === 'pull_request.merged');
    expect(merged.reduce((s, f) => s + f.count, 0)).toBe(truth.pullRequests.MERGED);
    expect(facts.filter((f) => f.feature === 'pull_request.reviewed').length).toBeGreaterThan(0);
    // Linked commits, opened pull requests, approvals and comments: the activities the truth follows.
    const last = new Map<string, string>();
    for (const f of [...factsOf('commits'), ...factsOf('pull_requests'), ...facts.filter((x) => x.feature === 'pull_request.reviewed')])
      if (f.day > (last.get(f.accountId) ?? '')) last.set(f.accountId, f.day);
    for (const [member, at] of Object.entries(truth.lastActivity)) expect(last.get(member) ?? null, member).toBe(at === null ? null : at.slice(0, 10));
  });

  it('read pipelines newest first with build seconds, trigger and creator, and a run fact per pipeline', () => {
    const runs = records('pipelines');
    expect(runs).toHaveLength(truth.pipelines);
    expect(runs.reduce((s, p) => s + p.build_seconds_used, 0)).toBe(truth.buildSecondsUsed);
    expect(runs.every((p) => p.creator?.uuid && p.trigger.name)).toBe(true);
    expect(stream('pipelines').firstRequests[0]!.searchParams.get('sort')).toBe('-created_on');
    const facts = factsOf('pipelines');
    expect(facts.filter((f) => f.feature === 'pipeline.run')).toHaveLength(runs.length);
    expect(facts.filter((f) => f.feature === 'pipeline.build_seconds').reduce((s, f) => s + f.count, 0)).toBe(truth.buildSecondsUsed);
  });

  it('read deployments and environments under their repository', () => {
    const envs = records('environments');
    const envIds = new Set(envs.map((e) => e.uuid));
    expect(records('deployments').every((d) => envIds.has(d.environment.uuid))).toBe(true);
    expect(envs.every((e) => e.repository.full_name.startsWith(`${truth.workspace}/`))).toBe(true);
  });

  it('read issues only where the tracker is on, with created and updated facts', () => {
    expect(records('issues')).toHaveLength(truth.issues);
    const withTracker = records('repositories').filter((r) => r.has_issues).length;
    expect(stream('issues').firstRequests).toHaveLength(withTracker);
    expect(stream('issues').skipped).toBe(truth.repositories - withTracker);
    const facts = factsOf('issues');
    expect(facts.filter((f) => f.feature === 'issue.created')).toHaveLength(truth.issues);
    expect(facts.filter((f) => f.feature === 'issue.updated').length).toBeGreaterThan(0);
  });
});
