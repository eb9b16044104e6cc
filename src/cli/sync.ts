import { Command } from 'commander';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { providers } from '../providers/registry.ts';
import type { SyncProgress } from '../sync/engine.ts';
import { scheduleOf, syncConnection } from '../sync/schedule.ts';
import { streamsFor } from '../sync/streams.ts';
import { withDatabase } from './database.ts';

/**
 * `tally sync <connection> [--stream x] [--full]` runs one sync in this process with a live progress line;
 * `tally sync status` lists every connection with its last run and when it syncs next.
 */
export function syncCommand(): Command {
  return new Command('sync')
    .description('sync one connection now (by id, or by provider when the database has one such connection), or `tally sync status`')
    .argument('<connection>', 'a connection id, a provider (digitalocean, bitbucket), or "status"')
    .option('-s, --stream <name...>', 'only these streams (their parents as last synced)')
    .option('--full', 'read everything again, ignoring cursors (and detect deletions everywhere)')
    .action(async (which: string, opts: { stream?: string[]; full?: boolean }) => {
      const code = await withDatabase(async ({ ctx }) => (which === 'status' ? printStatus(ctx) : runOne(ctx, which, opts)));
      process.exitCode = code;
    });
}

const accountName = (c: { account: Record<string, unknown> | null }) => (typeof c.account?.name === 'string' ? c.account.name : null);

async function findConnection(ctx: AppContext, which: string) {
  const all = await ctx.db
    .selectFrom('connections as c')
    .innerJoin('organizations as o', 'o.id', 'c.organization_id')
    .select(['c.id', 'c.provider', 'c.status', 'c.account', 'o.name as organization'])
    .where('c.status', '!=', 'disconnected')
    .execute();
  const matches = all.filter((c) => c.id === which || c.provider === which);
  if (matches.length === 1) return matches[0]!;
  const list = all.map((c) => `  ${c.id}  ${c.provider.padEnd(12)} ${c.organization} (${accountName(c) ?? 'no account'})`).join('\n') || '  (none: connect an app on the Connections page first)';
  throw new Error(`${matches.length ? `Several connections match "${which}"` : `No connection "${which}"`}. Name one by id:\n${list}`);
}

async function runOne(ctx: AppContext, which: string, opts: { stream?: string[]; full?: boolean }): Promise<number> {
  const connection = await findConnection(ctx, which);
  const known = streamsFor(connection.provider as ProviderSlug, ctx.config).map((s) => s.name);
  const unknown = (opts.stream ?? []).filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`Unknown stream(s) ${unknown.join(', ')}. ${providers[connection.provider as ProviderSlug].name} streams: ${known.join(', ')}`);
  const name = providers[connection.provider as ProviderSlug].name;
  console.log(`Syncing ${name} for ${connection.organization} (${accountName(connection) ?? connection.id})${opts.full ? ', full refresh' : ''}…`);
  const started = Date.now();
  const show = progressPrinter(started);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    const result = await syncConnection(ctx, connection.id, { trigger: 'cli', signal: abort.signal, onProgress: show, ...(opts.stream ? { streams: opts.stream } : {}), ...(opts.full ? { full: true } : {}) });
    show.done();
    const c = result.counters;
    console.log(
      `${result.status === 'succeeded' ? 'Done' : result.status === 'paused' ? 'Paused' : 'Failed'} in ${seconds(Date.now() - started)}: ${c.requests} requests, ${c.pages} pages, ` +
        `${c.recordsAdded} added, ${c.recordsUpdated} updated, ${c.recordsDeleted} marked deleted, ${c.quarantined} quarantined, ${c.retries} retries, ` +
        `${c.rateLimitWaits} rate-limit waits (${seconds(c.rateLimitWaitMs)}).`,
    );
    for (const s of c.skipped.slice(0, 10)) console.log(`  skipped ${s.stream}${s.partition ? ` (${s.partition})` : ''}: ${s.reason}`);
    if (c.skipped.length > 10) console.log(`  … and ${c.skipped.length - 10} more skipped parts`);
    if (result.error) console.error(`  ${result.error.message}`);
    return result.status === 'succeeded' ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', stop);
  }
}

const seconds = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/**
 * A progress line: a bar over streams and their partitions, pages, records, rate-limit waits and an ETA
 * from the share done so far. Redrawn in place on a terminal, a line every 5 s otherwise (logs, CI).
 */
function progressPrinter(started: number) {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const show = (p: SyncProgress) => {
    const share = Math.min(1, (p.streamIndex + (p.partitionIndex + 1) / Math.max(1, p.partitionCount)) / Math.max(1, p.streamCount));
    const elapsed = Date.now() - started;
    const eta = share > 0.02 ? seconds((elapsed / share) * (1 - share)) : '…';
    const width = 24;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    const line = `${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${p.stream} ${p.partitionIndex + 1}/${p.partitionCount}  ${p.pages} pages  ${p.recordsAdded + p.recordsUpdated} records  ${p.rateLimitWaits} rate-limit waits  ETA ${eta}`;
    if (tty) process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1).padEnd((process.stderr.columns ?? 120) - 1)}`);
    else if (Date.now() - lastLine >= 5000) {
      lastLine = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
  return Object.assign(show, { done: () => tty && process.stderr.write('\n') });
}

async function printStatus(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .selectFrom('connections as c')
    .innerJoin('organizations as o', 'o.id', 'c.organization_id')
    .select(['c.id', 'c.provider', 'c.status', 'c.account', 'o.name as organization'])
    .where('c.status', '!=', 'disconnected')
    .orderBy('o.name')
    .orderBy('c.provider')
    .execute();
  if (rows.length === 0) {
    console.log('No connections yet: connect an app on the Connections page first.');
    return 0;
  }
  const table: string[][] = [['connection', 'organization', 'app', 'status', 'last run', 'result', 'records', 'next activity sync']];
  for (const c of rows) {
    const last = await ctx.db.selectFrom('sync_runs').selectAll().where('connection_id', '=', c.id).orderBy('started_at', 'desc').limit(1).executeTakeFirst();
    const schedule = await scheduleOf(ctx, c.id);
    table.push([
      c.id,
      c.organization,
      providers[c.provider as ProviderSlug].name,
      c.status.replace('_', ' '),
      last ? last.started_at.toISOString().replace('T', ' ').slice(0, 16) : 'never',
      last ? (last.status === 'failed' ? `failed: ${last.error_message ?? last.error_code}`.slice(0, 60) : last.status) : '',
      last ? String(last.records_added + last.records_updated) : '',
      schedule.paused ? 'paused (reconnect first)' : (schedule.nextActivityAt ?? '').replace('T', ' ').slice(0, 16),
    ]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  return 0;
}
