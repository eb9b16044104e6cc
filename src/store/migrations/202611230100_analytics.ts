import { sql, type Kysely } from 'kysely';

/**
 * Analytics: rollups precomputed after each sync (src/analytics), the people directory, admin-entered app
 * settings and insights. `activity_facts` keeps its name and columns but reads a real table
 * (`activity_daily`) kept up to date by triggers on `activity_events`, instead of summing every event on
 * each read: at 10M facts the view's group-by was the slowest part of every dashboard query.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- activity_facts as a table: events summed per (connection, account, day, feature). \`events\` counts the
    -- contributing rows, so a fact disappears exactly when its last event does (as it did in the view).
    create table activity_daily (
      connection_id uuid not null references connections(id) on delete cascade,
      account_id text not null,
      day date not null,
      feature text not null,
      count bigint not null,
      events integer not null,
      primary key (connection_id, account_id, day, feature)
    );
    create index activity_daily_day_idx on activity_daily (connection_id, day);

    -- (connection, account, day) whose facts changed since the last recompute: what it has to look at.
    create table activity_dirty (
      connection_id uuid not null,
      account_id text not null,
      day date not null,
      primary key (connection_id, account_id, day)
    );

    create function activity_events_added() returns trigger language plpgsql as $$
    begin
      insert into activity_daily as d (connection_id, account_id, day, feature, count, events)
        select connection_id, account_id, day, feature, sum(count), count(*) from added group by 1, 2, 3, 4
        on conflict (connection_id, account_id, day, feature)
        do update set count = d.count + excluded.count, events = d.events + excluded.events;
      insert into activity_dirty select distinct connection_id, account_id, day from added on conflict do nothing;
      return null;
    end $$;

    create function activity_events_removed() returns trigger language plpgsql as $$
    begin
      with r as (select connection_id, account_id, day, feature, sum(count) as count, count(*) as events from removed group by 1, 2, 3, 4)
      update activity_daily d set count = d.count - r.count, events = d.events - r.events
        from r where (d.connection_id, d.account_id, d.day, d.feature) = (r.connection_id, r.account_id, r.day, r.feature);
      delete from activity_daily d using (select distinct connection_id, account_id, day, feature from removed) r
        where (d.connection_id, d.account_id, d.day, d.feature) = (r.connection_id, r.account_id, r.day, r.feature) and d.events <= 0;
      insert into activity_dirty select distinct connection_id, account_id, day from removed on conflict do nothing;
      return null;
    end $$;

    create trigger activity_events_added after insert on activity_events
      referencing new table as added for each statement execute function activity_events_added();
    create trigger activity_events_removed after delete on activity_events
      referencing old table as removed for each statement execute function activity_events_removed();
    -- An update is a removal of the old rows and an addition of the new ones.
    create trigger activity_events_updated_old after update on activity_events
      referencing old table as removed for each statement execute function activity_events_removed();
    create trigger activity_events_updated_new after update on activity_events
      referencing new table as added for each statement execute function activity_events_added();

    insert into activity_daily (connection_id, account_id, day, feature, count, events)
      select connection_id, account_id, day, feature, sum(count), count(*) from activity_events group by 1, 2, 3, 4;

    create or replace view activity_facts as
      select c.organization_id, d.connection_id, c.provider as app, d.account_id, d.day, d.feature, d.count::integer as count
      from activity_daily d join connections c on c.id = d.connection_id;

    -- What an admin enters about an app that its API does not say.
    create table app_settings (
      connection_id uuid primary key references connections(id) on delete cascade,
      organization_id uuid not null references organizations(id) on delete cascade,
      plan_name text,
      price_per_seat numeric(12, 2),
      seat_count_override integer,
      renewal_date date,
      contract_value numeric(14, 2),
      inactivity_threshold_days integer not null default 60,
      updated_at timestamptz,
      updated_by text
    );

    -- One row per app account of a people-based app: its seat, and its activity summarised.
    create table analytics_accounts (
      connection_id uuid not null references connections(id) on delete cascade,
      account_id text not null,
      organization_id uuid not null references organizations(id) on delete cascade,
      seat boolean not null default false,
      departed boolean not null default false,
      role text,
      last_accessed_at timestamptz,
      two_step boolean,
      first_day date,
      last_day date,
      last_nonbasic_day date,
      primary key (connection_id, account_id)
    );
    create index analytics_accounts_last_day_idx on analytics_accounts (connection_id, last_day desc nulls last, account_id);
    create index analytics_accounts_org_idx on analytics_accounts (organization_id);

    -- Accounts active over the trailing 1/7/30/90 days ending each day, per app.
    create table app_daily_active (
      connection_id uuid not null references connections(id) on delete cascade,
      day date not null,
      active1 integer not null,
      active7 integer not null,
      active30 integer not null,
      active90 integer not null,
      primary key (connection_id, day)
    );

    -- Feature adoption per week (the week's Monday): distinct accounts (or resources) and summed counts.
    create table app_weekly_features (
      connection_id uuid not null references connections(id) on delete cascade,
      week date not null,
      feature text not null,
      users integer not null,
      count bigint not null,
      primary key (connection_id, week, feature)
    );

    -- Spend per app, month, product and project; money as numeric, never floats.
    create table spend_monthly (
      connection_id uuid not null references connections(id) on delete cascade,
      organization_id uuid not null references organizations(id) on delete cascade,
      month date not null,
      product text not null,
      project text not null default '',
      source text not null check (source in ('invoice', 'preview', 'seats')),
      amount numeric(14, 2) not null,
      primary key (connection_id, month, product, project, source)
    );
    create index spend_monthly_org_idx on spend_monthly (organization_id, month);

    -- Cloud resources with their cost and usage (DigitalOcean), rebuilt from the synced records.
    create table cloud_resources (
      connection_id uuid not null references connections(id) on delete cascade,
      resource_id text not null,
      organization_id uuid not null references organizations(id) on delete cascade,
      type text not null,
      name text not null,
      region text,
      project text,
      size text,
      created_at timestamptz,
      deleted_at timestamptz,
      monthly_cost numeric(12, 2),
      cost_source text,
      usage jsonb not null default '{}',
      flags text[] not null default '{}',
      details jsonb not null default '{}',
      primary key (connection_id, resource_id)
    );
    create index cloud_resources_org_idx on cloud_resources (organization_id, monthly_cost desc nulls last);

    -- The people directory: a person and the app accounts that are theirs.
    create table people (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      display_name text not null,
      primary_email text,
      -- an admin set the name or email: syncs no longer change them
      edited boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index people_org_name_idx on people (organization_id, lower(display_name), id);
    create unique index people_org_email_idx on people (organization_id, primary_email) where primary_email is not null;

    create table person_accounts (
      connection_id uuid not null references connections(id) on delete cascade,
      account_id text not null,
      organization_id uuid not null references organizations(id) on delete cascade,
      person_id uuid not null references people(id) on delete cascade,
      method text not null check (method in ('email', 'manual', 'confirmed', 'own')),
      confidence real not null default 1,
      decided_by text,
      decided_at timestamptz,
      primary key (connection_id, account_id)
    );
    create index person_accounts_person_idx on person_accounts (person_id);

    create table link_proposals (
      connection_id uuid not null references connections(id) on delete cascade,
      account_id text not null,
      person_id uuid not null references people(id) on delete cascade,
      organization_id uuid not null references organizations(id) on delete cascade,
      confidence real not null,
      reason text not null,
      status text not null default 'open' check (status in ('open', 'rejected')),
      created_at timestamptz not null default now(),
      decided_by text,
      decided_at timestamptz,
      primary key (connection_id, account_id, person_id)
    );
    create index link_proposals_org_idx on link_proposals (organization_id, status, confidence desc);

    create table insights (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      connection_id uuid references connections(id) on delete cascade,
      -- kind + subject: the same finding keeps its row (and its state) across recomputations
      key text not null,
      kind text not null,
      severity text not null check (severity in ('high', 'medium', 'low')),
      title text not null,
      summary text not null,
      subject_type text not null,
      subject_id text not null,
      subject_name text not null,
      evidence jsonb not null default '[]',
      saving numeric(14, 2),
      state text not null default 'open' check (state in ('open', 'dismissed', 'snoozed', 'resolved')),
      state_note text,
      state_changed_by text,
      state_changed_at timestamptz,
      snoozed_until date,
      current boolean not null default true,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      unique (organization_id, key)
    );
    create index insights_org_idx on insights (organization_id, state, saving desc nulls last);

    -- When each app's analytics were last recomputed.
    create table analytics_state (
      connection_id uuid primary key references connections(id) on delete cascade,
      organization_id uuid not null references organizations(id) on delete cascade,
      computed_at timestamptz not null,
      duration_ms integer not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace view activity_facts as
      select c.organization_id, e.connection_id, c.provider as app, e.account_id, e.day, e.feature, sum(e.count)::integer as count
      from activity_events e join connections c on c.id = e.connection_id
      group by c.organization_id, e.connection_id, c.provider, e.account_id, e.day, e.feature;
    drop trigger activity_events_added on activity_events;
    drop trigger activity_events_removed on activity_events;
    drop trigger activity_events_updated_old on activity_events;
    drop trigger activity_events_updated_new on activity_events;
    drop function activity_events_added();
    drop function activity_events_removed();
    drop table analytics_state, insights, link_proposals, person_accounts, people, cloud_resources, spend_monthly,
      app_weekly_features, app_daily_active, analytics_accounts, app_settings, activity_dirty, activity_daily;
  `.execute(db);
}
