import { describe, expect, it } from 'vitest';
import { usageLevel } from '../../src/analytics/levels.ts';
import { hasVerifiedEmail, normalizeName, score, type Candidate } from '../../src/analytics/people/matching.ts';
import { connectionFindings, inactiveSeats, resourceFindings, spendAnomalies, unusedAdmins, withoutTwoStep, type AppFacts, type SeatFacts } from '../../src/analytics/insights/rules.ts';
import { toCsv } from '../../src/analytics/csv.ts';

const TODAY = '2026-06-15';

describe('usage level of one account', () => {
  it.each([
    { lastDay: null, lastNonBasicDay: null, thresholdDays: 60, level: 'never_active' },
    { lastDay: '2026-06-15', lastNonBasicDay: '2026-06-01', thresholdDays: 60, level: 'engaged' },
    { lastDay: '2026-05-17', lastNonBasicDay: '2026-05-17', thresholdDays: 60, level: 'engaged' }, // the 30th day back still counts
    { lastDay: '2026-06-15', lastNonBasicDay: '2026-05-16', thresholdDays: 60, level: 'few_features' }, // the non-basic use is 31 days old
    { lastDay: '2026-06-15', lastNonBasicDay: null, thresholdDays: 60, level: 'few_features' },
    { lastDay: '2026-05-16', lastNonBasicDay: '2026-05-16', thresholdDays: 60, level: 'lapsing' },
    { lastDay: '2026-04-17', lastNonBasicDay: null, thresholdDays: 60, level: 'lapsing' }, // the 60th day back
    { lastDay: '2026-04-16', lastNonBasicDay: null, thresholdDays: 60, level: 'inactive' },
    { lastDay: '2026-05-16', lastNonBasicDay: null, thresholdDays: 30, level: 'inactive' },
    { lastDay: '2026-03-18', lastNonBasicDay: null, thresholdDays: 90, level: 'lapsing' },
    { lastDay: '2026-05-10', lastNonBasicDay: null, thresholdDays: 7, level: 'inactive' }, // a threshold under 30 days acts as 30
  ] as const)('$lastDay / $lastNonBasicDay, threshold $thresholdDays -> $level', ({ level, ...input }) => {
    expect(usageLevel({ ...input, today: TODAY })).toBe(level);
  });
});

describe('matching accounts to people', () => {
  const jane: Candidate = { personId: 'p1', displayName: 'Jane Doe', primaryEmail: 'jane.doe@acme.io', names: ['Jane Doe'], nicknames: ['jdoe'] };
  it.each([
    { account: { name: 'Someone', email: 'JANE.DOE@acme.io', nickname: null }, confidence: 0.9 },
    { account: { name: 'Jane  Doe', email: null, nickname: null }, confidence: 0.8 },
    { account: { name: 'José Doe', email: null, nickname: null }, confidence: null },
    { account: { name: 'Jane', email: null, nickname: null }, confidence: null }, // a first name alone is too common
    { account: { name: null, email: null, nickname: 'janedoe' }, confidence: 0.6 },
    { account: { name: null, email: null, nickname: 'jdoe' }, confidence: 0.6 },
    { account: { name: null, email: 'jane-doe@gmail.com', nickname: null }, confidence: 0.6 },
    { account: { name: 'John Roe', email: 'john@roe.dev', nickname: 'jr' }, confidence: null },
  ])('$account.name / $account.email / $account.nickname -> $confidence', ({ account, confidence }) => {
    expect(score(account, jane)?.confidence ?? null).toBe(confidence);
  });

  it('treats emails of unlinked commit authors as unverified', () => {
    expect(hasVerifiedEmail('{uuid}', 'a@b.io')).toBe(true);
    expect(hasVerifiedEmail('email:a@b.io', 'a@b.io')).toBe(false);
    expect(hasVerifiedEmail('raw:A <a@b.io>', 'a@b.io')).toBe(false);
    expect(hasVerifiedEmail('{uuid}', null)).toBe(false);
    expect(normalizeName("  José  O'Neil ")).toBe('jose oneil');
  });
});

const app: AppFacts = { id: 'app1', name: 'Bitbucket · Acme', pricePerSeat: '15.00', thresholdDays: 60 };
const seat = (accountId: string, lastDay: string | null, extra: Partial<SeatFacts> = {}): SeatFacts => ({ accountId, name: accountId, seat: true, role: 'member', lastDay, twoStep: null, ...extra });

describe('insight: inactive seats', () => {
  it.each([
    { seats: [seat('a', '2026-06-10'), seat('b', '2026-04-16'), seat('c', null)], inactive: 2, saving: '30.00', severity: 'high' },
    { seats: [seat('a', '2026-06-10'), seat('b', '2026-04-17')], inactive: 0, saving: null, severity: null },
    { seats: [...'abcdefghi'.split('').map((x) => seat(x, '2026-06-10')), seat('z', '2026-01-01')], inactive: 1, saving: '15.00', severity: 'medium' },
    { seats: [seat('a', '2026-06-10'), seat('b', null, { seat: false })], inactive: 0, saving: null, severity: null },
  ])('$inactive inactive of $seats.length -> saving $saving', ({ seats, inactive, saving, severity }) => {
    const found = inactiveSeats(app, seats, TODAY);
    expect(found.length).toBe(inactive ? 1 : 0);
    if (inactive) expect(found[0]).toMatchObject({ key: 'inactive_seats:app1', saving, severity, title: expect.stringContaining(`${inactive} seat`) });
  });

  it('without a price there is no saving, and the evidence says where to enter it', () => {
    const [f] = inactiveSeats({ ...app, pricePerSeat: null }, [seat('a', null), seat('b', '2026-06-01'), seat('c', '2026-06-01'), seat('d', '2026-06-01'), seat('e', '2026-06-01')], TODAY);
    expect(f).toMatchObject({ saving: null, severity: 'low' });
    expect(f!.evidence.find((e) => e.label === 'Price per seat')!.value).toMatch(/app settings/);
    expect(f!.evidence.find((e) => e.label === 'No activity in 30 days')!.value).toBe('1');
  });
});

describe('insights about members', () => {
  it('flags owners idle for 90 days and members without two-step verification', () => {
    const accounts = [seat('o1', '2026-03-16', { role: 'owner' }), seat('o2', '2026-03-18', { role: 'owner' }), seat('m', null, { twoStep: false }), seat('n', null, { twoStep: true }), seat('x', null, { seat: false, twoStep: false })];
    expect(unusedAdmins(app, accounts, TODAY).map((f) => f.subjectId)).toEqual(['o1']);
    expect(withoutTwoStep(app, accounts).map((f) => [f.key, f.severity])).toEqual([['member_without_two_step:app1:m', 'high']]);
  });
});

describe('insights about cloud resources', () => {
  const r = (resourceId: string, flags: string[], monthlyCost: string | null, extra = {}) => ({ resourceId, type: resourceId.split(':')[0]!, name: resourceId, flags, monthlyCost, createdAt: '2026-01-01T00:00:00Z', cpuP95: 0.02, sampledDays: 14, region: 'ams3', ...extra });
  it.each([
    { res: r('droplet:1', ['idle'], '48.00'), kinds: ['idle_droplet'], saving: '48.00', severity: 'medium' },
    { res: r('droplet:2', ['idle', 'no_firewall'], '96.00'), kinds: ['idle_droplet', 'droplet_without_firewall'], saving: '96.00', severity: 'high' },
    { res: r('volume:v', ['unattached'], '10.00'), kinds: ['unattached_volume'], saving: '10.00', severity: 'medium' },
    { res: r('snapshot:s', ['old_snapshot'], '0.60'), kinds: ['old_snapshot'], saving: '0.60', severity: 'low' },
    { res: r('droplet:3', [], '6.00'), kinds: [], saving: null, severity: null },
  ])('$res.resourceId $res.flags -> $kinds', ({ res, kinds, saving, severity }) => {
    const found = resourceFindings(app, [res], TODAY);
    expect(found.map((f) => f.kind)).toEqual(kinds);
    if (kinds.length) expect(found[0]).toMatchObject({ saving, severity, key: `${kinds[0]}:app1:${res.resourceId}` });
  });
});

describe('insight: spend anomalies', () => {
  const line = (month: string, amount: string, product = 'Droplets') => ({ month, product, amount });
  it.each([
    { name: 'a 50 % jump over three steady months', lines: [line('2026-02', '100.00'), line('2026-03', '100.00'), line('2026-04', '100.00'), line('2026-05', '150.00')], excess: '50.00' },
    { name: 'a 25 % rise is within trend', lines: [line('2026-03', '100.00'), line('2026-04', '100.00'), line('2026-05', '125.00')], excess: null },
    { name: 'a small absolute rise is noise', lines: [line('2026-03', '10.00'), line('2026-04', '10.00'), line('2026-05', '25.00')], excess: null },
    { name: 'one month of history is not a trend', lines: [line('2026-04', '10.00'), line('2026-05', '500.00')], excess: null },
  ])('$name', ({ lines, excess }) => {
    const found = spendAnomalies(app, lines, TODAY).filter((f) => f.subjectType === 'app');
    expect(found.map((f) => f.saving)).toEqual(excess ? [excess] : []);
  });

  it('finds a product jumping while the total holds steady, with exact decimals', () => {
    const lines = [
      line('2026-03', '100.10'), line('2026-03', '50.20', 'Volumes'),
      line('2026-04', '100.10'), line('2026-04', '50.20', 'Volumes'),
      line('2026-05', '60.10'), line('2026-05', '90.30', 'Volumes'),
    ];
    const found = spendAnomalies(app, lines, TODAY);
    expect(found.map((f) => [f.key, f.saving])).toEqual([['spend_anomaly:app1:2026-05:Volumes', '40.10']]);
  });
});

describe('insights about the connection', () => {
  it.each([
    { facts: { status: 'needs_reconnect', statusReason: 'DigitalOcean revoked the grant.', lastRun: null, health: [] }, kinds: ['connection_needs_reconnect'] },
    { facts: { status: 'active', statusReason: null, lastRun: { status: 'failed', errorMessage: 'droplets: 500', startedAt: 'x' }, health: [] }, kinds: ['sync_failed'] },
    { facts: { status: 'active', statusReason: null, lastRun: { status: 'succeeded', errorMessage: null, startedAt: 'x' }, health: [{ kind: 'rate_limited', detail: 'd', count: 3, last: 'x' }, { kind: 'html_challenge', detail: 'd', count: 1, last: 'x' }] }, kinds: ['provider_health', 'provider_health'] },
    { facts: { status: 'active', statusReason: null, lastRun: { status: 'succeeded', errorMessage: null, startedAt: 'x' }, health: [] }, kinds: [] },
  ] as const)('$facts.status, last run $facts.lastRun.status -> $kinds', ({ facts, kinds }) => {
    expect(connectionFindings(app, { ...facts, health: [...facts.health] }).map((f) => f.kind)).toEqual(kinds);
  });
});

describe('CSV', () => {
  it('flattens objects, joins lists, quotes and defuses formulas', () => {
    const csv = toCsv([
      { name: 'Ana, "A"', app: { appId: 'x', name: 'BB' }, featureCounts: { commit: 3, review: 1 }, apps: [{ appId: 'x', level: 'engaged' }], cost: '-1.50', note: '=HYPERLINK("x")', none: null },
    ]);
    expect(csv).toBe('name,app.appId,app.name,featureCounts,apps,cost,note,none\r\n"Ana, ""A""",x,BB,commit=3; review=1,x engaged,-1.50,"\'=HYPERLINK(""x"")",\r\n');
  });
});
