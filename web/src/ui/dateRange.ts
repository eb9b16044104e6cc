// The date range every dashboard page shares. It lives in the URL (?range=30d, or ?from=&to= for a
// custom one) so a link shows what its sender saw, and navigation carries it from page to page.
// Dates are calendar days in UTC, inclusive at both ends, written YYYY-MM-DD: the API's day buckets.

export const RANGE_PRESETS = ['7d', '30d', '90d', 'mtd', '6m', '12m'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface DateRange {
  preset: RangePreset | 'custom';
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

export const DEFAULT_PRESET: RangePreset = '90d';

export const PRESET_LABELS: Record<RangePreset, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  mtd: 'Month to date',
  '6m': 'Last 6 months',
  '12m': 'Last 12 months',
};

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Nobody needs more, and it keeps a hand-edited URL from asking the API for centuries. */
const MAX_DAYS = 3 * 366;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function parseDay(day: string): Date | null {
  if (!ISO_DAY.test(day)) return null;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || isoDay(date) !== day ? null : date;
}

export function addDays(day: string, days: number): string {
  const date = parseDay(day);
  if (!date) throw new Error(`"${day}" is not a YYYY-MM-DD day`);
  return isoDay(new Date(date.getTime() + days * DAY_MS));
}

/** Days in the range, both ends counted. */
export function rangeDays(range: Pick<DateRange, 'from' | 'to'>): number {
  const from = parseDay(range.from);
  const to = parseDay(range.to);
  if (!from || !to) return 0;
  return Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
}

function monthsBack(today: Date, months: number): string {
  // The same day of the month `months` ago (the month's last day if it is shorter: Mar 31 -> Sep 30),
  // then the day after, so that "6 months" is six months long.
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const sameDay = Date.UTC(year, month, Math.min(today.getUTCDate(), lastDay));
  return isoDay(new Date(sameDay + DAY_MS));
}

export function presetRange(preset: RangePreset, now: Date = new Date()): DateRange {
  const to = isoDay(now);
  switch (preset) {
    case '7d':
      return { preset, from: addDays(to, -6), to };
    case '30d':
      return { preset, from: addDays(to, -29), to };
    case '90d':
      return { preset, from: addDays(to, -89), to };
    case 'mtd':
      return { preset, from: `${to.slice(0, 7)}-01`, to };
    case '6m':
      return { preset, from: monthsBack(now, 6), to };
    case '12m':
      return { preset, from: monthsBack(now, 12), to };
  }
}

function isPreset(value: string | null): value is RangePreset {
  return (RANGE_PRESETS as readonly string[]).includes(value ?? '');
}

/**
 * Checks a custom range someone typed: a message saying what to fix, or null when it is fine.
 * Used by the picker and by readRange (which falls back to the default rather than show nothing).
 */
export function checkCustomRange(from: string, to: string, now: Date = new Date()): string | null {
  if (!parseDay(from) || !parseDay(to)) return 'Enter both dates.';
  if (from > to) return 'The start date must be on or before the end date.';
  if (from > isoDay(now)) return 'The range must start today or earlier.';
  if (rangeDays({ from, to }) > MAX_DAYS) return 'Pick a range of at most three years.';
  return null;
}

/** The range in a location's query string; the default when it has none or a broken one. */
export function readRange(search: string, now: Date = new Date()): DateRange {
  const params = new URLSearchParams(search);
  const preset = params.get('range');
  if (isPreset(preset)) return presetRange(preset, now);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (preset === 'custom' && checkCustomRange(from, to, now) === null) return { preset: 'custom', from, to };
  return presetRange(DEFAULT_PRESET, now);
}

/** The query parameters that describe a range; the default range needs none. */
export function rangeParams(range: DateRange): Record<string, string> {
  if (range.preset === 'custom') return { range: 'custom', from: range.from, to: range.to };
  return range.preset === DEFAULT_PRESET ? {} : { range: range.preset };
}

/** `search` with the range replaced and every other parameter kept (e.g. an app page's window). */
export function withRange(search: string, range: DateRange): string {
  const params = new URLSearchParams(search);
  for (const key of ['range', 'from', 'to']) params.delete(key);
  for (const [key, value] of Object.entries(rangeParams(range))) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The range part of `search` ("?range=30d" or ""), for links to other pages to carry it along. */
export function carryRange(search: string): string {
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const key of ['range', 'from', 'to']) {
    const value = params.get(key);
    if (value !== null) kept.set(key, value);
  }
  const query = kept.toString();
  return query ? `?${query}` : '';
}

/** The range just before this one, as long: what "change vs. last period" compares with. */
export function previousRange(range: DateRange): { from: string; to: string } {
  const days = rangeDays(range);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** "Last 30 days", or "Mar 3 – Apr 15, 2026" for a custom range. */
export function describeRange(range: DateRange): string {
  if (range.preset !== 'custom') return PRESET_LABELS[range.preset];
  const from = parseDay(range.from);
  const to = parseDay(range.to);
  if (!from || !to) return 'Custom range';
  const sameYear = from.getUTCFullYear() === to.getUTCFullYear();
  return `${(sameYear ? shortDay : longDay).format(from)} – ${longDay.format(to)}`;
}
