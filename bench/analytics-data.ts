import { sql } from 'kysely';
import type { Database } from '../src/store/database.ts';
import { addDays } from '../src/analytics/dates.ts';

/**
 * Synthetic data for the analytics benchmark, bulk-loaded with generate_series: one organization with
 * `people` people, `peopleApps` Bitbucket-like connections of about people/10 members each, `cloudApps`
 * DigitalOcean-like connections of 300 droplets, and a year of activity ending the day before `today`:
 * 20 % of accounts never active, 20 % stopped between 60 and 300 days ago, the rest active on 20-60 % of
 * days with commits, pull requests, reviews and pipelines. Rows go straight to the tables a sync and the
 * activity triggers would fill (sync_records, app_accounts, activity_daily, people and their links).
 */
export type Size = { people: number; peopleApps: number; cloudApps: number; droplets: number };

export async function loadSyntheticOrg(db: Database, organizationId: string, size: Size, today: string): Promise<{ bitbucket: string[]; digitalocean: string[] }> {
  const first = addDays(today, -365);
  const last = addDays(today, -1);
  // The connections table allows one connection per provider and organization; the analytics do not, and
  // the benchmark asks for 50 apps in one organization, so this throwaway database lifts the rule.
  await sql`alter table connections drop constraint if exists connections_organization_id_provider_key`.execute(db);
  const make = async (provider: string, n: number) =>
    (
      await sql<{ id: string }>`
        insert into connections (organization_id, provider, status, method, account, connected_at)
        select ${organizationId}, ${provider}, 'active', 'oauth',
               jsonb_build_object('uuid', 'w' || i, 'name', ${provider} || ' ' || i, 'email', null, 'workspaces', jsonb_build_array(jsonb_build_object('slug', 'ws' || i, 'name', 'Workspace ' || i, 'uuid', '{w' || i || '}'))),
               now()
        from generate_series(1, ${n}) i returning id`.execute(db)
    ).rows.map((r) => r.id);
  const bitbucket = await make('bitbucket', size.peopleApps);
  const digitalocean = await make('digitalocean', size.cloudApps);

  await sql`
    create temporary table bench_accounts as
    select c.id as connection_id, c.ord, p.i, '{p' || p.i || '}' as account_id,
           -- profile: 0-19 never active, 20-39 stopped, 40-99 active (on the share "rate" of days)
           abs(hashtext('profile' || p.i || c.ord)) % 100 as profile,
           0.2 + (abs(hashtext('rate' || p.i || c.ord)) % 40) / 100.0 as rate,
           60 + abs(hashtext('stop' || p.i || c.ord)) % 240 as stopped_days_ago
    from (select id, row_number() over (order by id) as ord from connections where id = any(${bitbucket}::uuid[])) c
    cross join generate_series(1, ${size.people}) p(i)
    where abs(hashtext('member' || p.i || c.ord)) % 10 = 0`.execute(db);
  await sql`
    insert into app_accounts (connection_id, external_id, organization_id, name, email, nickname, role)
    select connection_id, account_id, ${organizationId}, 'Person ' || i, 'p' || i || '@bench.example', 'p' || i,
           case when i % 50 = 0 then 'owner' else 'member' end
    from bench_accounts`.execute(db);
  await sql`
    insert into sync_records (connection_id, stream, external_id, organization_id, parent_id, data, hash)
    select connection_id, s.stream, '{w}:' || account_id, ${organizationId}, '{w}',
           jsonb_build_object('user', jsonb_build_object('uuid', account_id, 'display_name', 'Person ' || i, 'nickname', 'p' || i),
                              'workspace', jsonb_build_object('uuid', '{w}', 'slug', 'ws'), 'permission', case when i % 50 = 0 then 'owner' else 'member' end), 'h'
    from bench_accounts cross join (values ('members'), ('workspace_permissions')) s(stream)`.execute(db);
  await sql`
    insert into people (organization_id, display_name, primary_email)
    select ${organizationId}, 'Person ' || i, 'p' || i || '@bench.example' from generate_series(1, ${size.people}) i`.execute(db);
  await sql`
    insert into person_accounts (connection_id, account_id, organization_id, person_id, method)
    select a.connection_id, a.account_id, ${organizationId}, p.id, 'email'
    from bench_accounts a join people p on p.organization_id = ${organizationId} and p.primary_email = 'p' || a.i || '@bench.example'`.execute(db);

  // Ten million rows load faster into a table without indexes, which are then built once, sorted.
  await sql`alter table activity_daily drop constraint activity_daily_pkey`.execute(db);
  await sql`drop index activity_daily_day_idx`.execute(db);
  // One hash per account-day picks the day (by the account's rate) and, in other digits, its features.
  await sql`
    insert into activity_daily (connection_id, account_id, day, feature, count, events)
    select a.connection_id, a.account_id, d::date, f.feature, 1 + h % 3, 1
    from bench_accounts a
    cross join lateral generate_series(${first}::date, case when a.profile < 40 then ${last}::date - a.stopped_days_ago else ${last}::date end, interval '1 day') d
    cross join lateral (select abs(hashtextextended(a.account_id || a.ord || d::date, 0)) as h) x
    cross join lateral (values ('commit', 0, 100), ('pull_request.opened', 1, 25), ('pull_request.reviewed', 2, 50), ('pipeline.run', 3, 45)) f(feature, digit, pct)
    where a.profile >= 20 and x.h % 1000 < a.rate * 1000 and (x.h / (1000 * power(10, f.digit * 2))::bigint) % 100 < f.pct`.execute(db);

  await loadCloud(db, organizationId, digitalocean, size.droplets, today);
  await sql`alter table activity_daily add primary key (connection_id, account_id, day, feature)`.execute(db);
  await sql`create index activity_daily_day_idx on activity_daily (connection_id, day)`.execute(db);
  await sql`drop table bench_accounts`.execute(db);
  return { bitbucket, digitalocean };
}

/** Droplets, volumes, firewalls, 30 days of CPU, twelve invoices with items and the running month's preview. */
async function loadCloud(db: Database, organizationId: string, connections: string[], droplets: number, today: string): Promise<void> {
  const record = (stream: string, id: string, data: string, extra = sql``) => sql`
    insert into sync_records (connection_id, stream, external_id, organization_id, parent_id, data, hash)
    select c, ${stream}, ${sql.raw(id)}, ${organizationId}, null, ${sql.raw(data)}, 'h'
    from unnest(${connections}::uuid[]) c cross join generate_series(1, ${droplets}) i ${extra}`;
  await record('droplets', `i::text`, `jsonb_build_object('id', i, 'name', 'droplet-' || i, 'created_at', '2025-01-01T00:00:00Z', 'tags', case when i % 3 = 0 then '["web"]'::jsonb else '[]'::jsonb end, 'size_slug', 's-2vcpu-4gb', 'size', jsonb_build_object('price_monthly', 24), 'region', jsonb_build_object('slug', 'ams3'))`).execute(db);
  await record('volumes', `'v' || i`, `jsonb_build_object('id', 'v' || i, 'name', 'vol-' || i, 'droplet_ids', case when i % 5 = 0 then '[]'::jsonb else jsonb_build_array(i) end, 'size_gigabytes', 100, 'created_at', '2025-01-01T00:00:00Z')`, sql`where i % 3 = 0`).execute(db);
  await record('firewalls', `'fw'`, `jsonb_build_object('id', 'fw', 'name', 'web', 'created_at', '2025-01-01T00:00:00Z', 'droplet_ids', '[]'::jsonb, 'tags', '["web"]'::jsonb)`, sql`where i = 1`).execute(db);
  await sql`
    insert into sync_records (connection_id, stream, external_id, organization_id, parent_id, data, hash)
    select c, 'droplet_cpu_metrics', i || ':' || d::date, ${organizationId}, i::text,
           jsonb_build_object('droplet_id', i, 'day', d::date::text, 'samples', 288, 'cpu_avg', case when i % 4 = 0 then 0.01 else 0.3 end,
                              'cpu_p95', case when i % 4 = 0 then 0.02 else 0.6 end, 'cpu_max', 0.9), 'h'
    from unnest(${connections}::uuid[]) c cross join generate_series(1, ${droplets}) i
    cross join generate_series(${addDays(today, -30)}::date, ${addDays(today, -1)}::date, interval '1 day') d`.execute(db);
  await sql`
    insert into sync_records (connection_id, stream, external_id, organization_id, parent_id, data, hash)
    select c, 'invoices', 'inv-' || m, ${organizationId}, null,
           jsonb_build_object('invoice_uuid', 'inv-' || m, 'invoice_id', m::text, 'invoice_period', to_char(date_trunc('month', ${today}::date) - make_interval(months => m), 'YYYY-MM'),
                              'amount', case when m = 0 then (${droplets} * 12)::text || '.00' else (${droplets} * 24 + m)::text || '.00' end, 'preview', m = 0), 'h'
    from unnest(${connections}::uuid[]) c cross join generate_series(0, 12) m`.execute(db);
  await sql`
    insert into sync_records (connection_id, stream, external_id, organization_id, parent_id, data, hash)
    select c, 'invoice_items', 'inv-' || m || ':' || i, ${organizationId}, 'inv-' || m,
           jsonb_build_object('invoice_uuid', 'inv-' || m, 'product', 'Droplets', 'resource_id', i::text, 'description', 'droplet-' || i,
                              'amount', '24.00', 'project_name', 'Project ' || (i % 4), 'start_time', '2025-01-01T00:00:00Z', 'end_time', '2025-02-01T00:00:00Z'), 'h'
    from unnest(${connections}::uuid[]) c cross join generate_series(1, 12) m cross join generate_series(1, ${droplets}) i`.execute(db);
  await sql`
    insert into activity_daily (connection_id, account_id, day, feature, count, events)
    select c, i::text, d::date, 'droplet.running', 1, 1
    from unnest(${connections}::uuid[]) c cross join generate_series(1, ${droplets}) i
    cross join generate_series(${addDays(today, -365)}::date, ${addDays(today, -1)}::date, interval '1 day') d`.execute(db);
}

/**
 * One day's sync as the engine writes it: per connection, pages of 100 activity events (each page deletes
 * its records' old events, then inserts the new ones), through the triggers that keep the rollup.
 */
export async function ingestOneDay(db: Database, connections: string[], today: string): Promise<number> {
  let events = 0;
  for (const c of connections) {
    const rows = (
      await sql<{ account_id: string; feature: string; count: number }>`
        select account_id, feature, (count + 1)::int as count from activity_daily
        where connection_id = ${c} and day = ${addDays(today, -7)}::date order by account_id, feature`.execute(db)
    ).rows;
    for (let i = 0; i < rows.length; i += 100) {
      const page = rows.slice(i, i + 100).map((r, j) => ({ connection_id: c, stream: 'commits', external_id: `${today}:${i + j}`, account_id: r.account_id, day: today, feature: r.feature, count: r.count }));
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('activity_events').where('connection_id', '=', c).where('stream', '=', 'commits').where('external_id', 'in', page.map((p) => p.external_id)).execute();
        await trx.insertInto('activity_events').values(page).execute();
      });
      events += page.length;
    }
  }
  return events;
}
