import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/engine.ts';
import { streamsFor } from '../../src/sync/streams.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

// A frozen simulated clock: the workspace changes only when a test advances it or mutates a record, so a
// second sync can be asked to change nothing.
const t = await startTestTally({ simulators: true, env: { TALLY_SIMULATORS_CLOCK: 'frozen' } });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'bitbucket');
const ctx = t.tally.ctx;
const connectionId = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'bitbucket').executeTakeFirstOrThrow()).id;
const simBase = ctx.simulated.bitbucket!.endpoints.apiBaseUrl.replace(/\/bitbucket.*$/, '');
const control = async (path: string, body?: unknown) =>
  (await fetch(`${simBase}/_sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

async function live(stream: string, where = sql`true`) {
  const r = await sql<{ data: any; external_id: string }>`
    select external_id, data from sync_records
    where connection_id = ${connectionId} and stream = ${stream} and deleted_at is null and ${where}`.execute(ctx.db);
  return r.rows;
}

describe('a Bitbucket connection synced with every stream', () => {
  it('pulls every stream to the end, calls no deprecated operation, and matches the simulator’s own data', async () => {
    const result = await runSync(ctx, connectionId, { trigger: 'test' });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(result.counters.quarantined).toBe(0);
    expect((await control('/counters')).deprecatedCalls).toEqual({});
    const truth = (await control('/truth')).bitbucket;
    expect((await live('members')).length).toBe(truth.members);
    expect((await live('repositories')).length).toBe(truth.repositories);
    expect((await live('commits')).length).toBe(truth.commits);
    expect((await live('pipelines')).length).toBe(truth.pipelines);
    const prs = await live('pull_requests');
    const byState = { OPEN: 0, MERGED: 0, DECLINED: 0 } as Record<string, number>;
    for (const pr of prs) byState[pr.data.state] = (byState[pr.data.state] ?? 0) + 1;
    expect(byState).toEqual(truth.pullRequests);
    // Commits per author and day, as activity facts, equal the simulator's count.
    const facts = await sql<{ account_id: string; day: string; n: number }>`
      select account_id, day::text as day, sum(count)::int as n from activity_events
      where connection_id = ${connectionId} and feature = 'commit' group by account_id, day`.execute(ctx.db);
    const total = facts.rows.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(truth.commits);
    const linked = Object.entries(truth.commitsByAuthorDay as Record<string, Record<string, number>>).filter(([a]) => !a.startsWith('raw:'));
    for (const [author, days] of linked.slice(0, 5)) {
      for (const [day, n] of Object.entries(days)) expect(facts.rows.find((r) => r.account_id === author && r.day === day)?.n, `${author} ${day}`).toBe(n);
    }
    // The stored copies leave out every `links` object (the simulator sends them at every depth), and keep the rest.
    const withLinks = await sql<{ n: number }>`
      select count(*)::int as n from sync_records where connection_id = ${connectionId} and jsonb_path_exists(data, 'strict $.**.links')`.execute(ctx.db);
    expect(withLinks.rows[0]!.n).toBe(0);
    const commit = (await live('commits'))[0]!.data;
    expect(commit).toMatchObject({ hash: expect.any(String), date: expect.any(String), author: { raw: expect.any(String) }, repository: { full_name: expect.any(String) } });
  });

  it('a second sync reads only the repository list and changes nothing', async () => {
    // A commit made in the two minutes before a repository's pass started counts as a change (Tally allows
    // that much skew between its clock and Bitbucket's), so that repository's children are read once more.
    // Count those partitions with the streams' own rule.
    const repositories = new Map((await live('repositories')).map((r) => [r.external_id, r.data as Record<string, unknown>]));
    const byName = new Map(streamsFor('bitbucket', ctx.config).map((s) => [s.name, s]));
    const checkpoints = await sql<{ stream: string; partition: string; last_complete_pass_at: Date | null }>`
      select stream, partition, last_complete_pass_at from sync_checkpoints where connection_id = ${connectionId}`.execute(ctx.db);
    let reread = 0;
    for (const c of checkpoints.rows) {
      const stream = byName.get(c.stream);
      const repo = repositories.get(c.partition);
      if (stream?.shouldFetch && repo && c.last_complete_pass_at && stream.shouldFetch({ externalId: c.partition, data: repo }, c.last_complete_pass_at)) reread++;
    }
    const again = await runSync(ctx, connectionId, { trigger: 'test' });
    expect(again.status).toBe('succeeded');
    expect(again.counters).toMatchObject({ recordsAdded: 0, recordsUpdated: 0, recordsDeleted: 0, quarantined: 0 });
    // workspaces, members, permissions, projects and repositories: one page each on the small preset,
    // plus, for each partition of a repository changed within the skew, its pages (deployments lists take
    // no filter, so a few run to more than one page).
    expect(again.counters.requests).toBeLessThanOrEqual(6 + 3 * reread);
    expect(reread).toBeLessThan(checkpoints.rows.length / 4);
  });

  it('misses no pull request when some change while the list is read', async () => {
    const repos = await live('repositories');
    const counts = await Promise.all(repos.map(async (r) => ({ r, n: (await live('pull_requests', sql`parent_id = ${r.external_id}`)).length })));
    const { r: repo, n } = counts.sort((a, b) => b.n - a.n)[0]!;
    expect(n).toBeGreaterThan(60);
    const before = (await live('pull_requests', sql`parent_id = ${repo.external_id}`)).map((p) => p.data.id as number);
    // Read this repository's pull requests from scratch, and change two of them after the first page:
    // one already read and one not read yet.
    await sql`delete from sync_records where connection_id = ${connectionId} and stream = 'pull_requests' and parent_id = ${repo.external_id}`.execute(ctx.db);
    await sql`delete from sync_checkpoints where connection_id = ${connectionId} and stream = 'pull_requests' and partition = ${repo.external_id}`.execute(ctx.db);
    let touched: number[] = [];
    // Pages of 20, so the change lands several pages before the end of the list.
    const small = streamsFor('bitbucket', ctx.config).map((s) => (s.name === 'pull_requests' ? { ...s, pagination: { kind: 'bitbucket' as const, pageSize: 20 } } : s));
    const result = await runSync(ctx, connectionId, {
      trigger: 'test',
      streams: ['pull_requests'],
      streamDefinitions: small,
      onProgress: async () => {
        if (touched.length) return;
        const read = (await live('pull_requests', sql`parent_id = ${repo.external_id}`)).map((p) => p.data.id as number);
        // A page of another repository (one changed within the clock skew) may come first.
        if (read.length < 6) return;
        touched = [read[5]!, before.find((id) => !read.includes(id))!];
        await control('/bitbucket/mutate', { kind: 'pullrequests', repository: repo.data.full_name, ids: touched });
      },
    });
    expect(result.status).toBe('succeeded');
    expect(touched).toHaveLength(2);
    const after = await live('pull_requests', sql`parent_id = ${repo.external_id}`);
    expect(after.map((p) => p.data.id).sort((a, b) => a - b)).toEqual([...before].sort((a, b) => a - b));
    // Both changed pull requests are stored as they are now, with their new updated_on.
    const fresh = (await fetch(`${ctx.simulated.bitbucket!.endpoints.apiBaseUrl}/repositories/${repo.data.full_name}/pullrequests/${touched[0]}`, { headers: { authorization: `Bearer ${await latestToken()}` } })).json();
    expect(after.find((p) => p.data.id === touched[0])!.data.updated_on).toBe((await fresh).updated_on);
  });

  it('after a simulated day, an incremental sync reads the repositories pushed to, and the daily revisit the rest', async () => {
    const advance = await control('/time/advance', { days: 1 });
    const pushedTo = Object.entries(advance.bitbucket.byRepository as Record<string, { commits: number }>).filter(([, n]) => n.commits > 0).length;
    expect(pushedTo).toBeGreaterThan(0);
    const result = await runSync(ctx, connectionId, { trigger: 'test' });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    let truth = (await control('/truth')).bitbucket;
    expect((await live('commits')).length).toBe(truth.commits);
    // A pull request opened or reviewed without a push does not move the repository's updated_on: those
    // come with the daily revisit. Make it a day later by Tally's clock.
    await sql`update sync_checkpoints set last_complete_pass_at = last_complete_pass_at - interval '25 hours' where connection_id = ${connectionId}`.execute(ctx.db);
    const revisit = await runSync(ctx, connectionId, { trigger: 'test' });
    expect(revisit.status, JSON.stringify(revisit.error)).toBe('succeeded');
    truth = (await control('/truth')).bitbucket;
    expect((await live('commits')).length).toBe(truth.commits);
    expect((await live('pipelines')).length).toBe(truth.pipelines);
    const prs = await live('pull_requests');
    expect(prs.length).toBe(truth.pullRequests.OPEN + truth.pullRequests.MERGED + truth.pullRequests.DECLINED);
    const buildSeconds = (await live('pipelines')).reduce((s, p) => s + Number(p.data.build_seconds_used ?? 0), 0);
    expect(buildSeconds).toBe(truth.buildSecondsUsed);
  });

  it('reads issues only when configured to, skipping repositories without a tracker', async () => {
    expect(streamsFor('bitbucket', ctx.config).map((s) => s.name)).not.toContain('issues');
    const withIssues = streamsFor('bitbucket', { bitbucketIssues: true });
    expect(withIssues.findIndex((s) => s.name === 'issues')).toBeGreaterThan(withIssues.findIndex((s) => s.name === 'repositories'));
    const result = await runSync(ctx, connectionId, { trigger: 'test', streams: ['issues'], streamDefinitions: withIssues });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    const truth = (await control('/truth')).bitbucket;
    expect((await live('issues')).length).toBe(truth.issues);
  });
});

/** The connection's current access token, for a direct check at the simulator. */
async function latestToken(): Promise<string> {
  const { accessTokenFor } = await import('../../src/connections/refresh.ts');
  return accessTokenFor(ctx, connectionId);
}
