import { TallyError } from '../errors.ts';

/** UTC calendar arithmetic on `YYYY-MM-DD` days and `YYYY-MM` months: analytics never uses local time. */

const DAY_MS = 86_400_000;

export const utcDay = (at: Date | number = Date.now()): string => new Date(at).toISOString().slice(0, 10);

export const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

export const addDays = (day: string, n: number): string => utcDay(dayMs(day) + n * DAY_MS);

/** Whole days from `a` to `b` (b − a). */
export const daysBetween = (a: string, b: string): number => Math.round((dayMs(b) - dayMs(a)) / DAY_MS);

/** The Monday of the ISO week holding `day`. */
export function weekOf(day: string): string {
  const weekday = (new Date(dayMs(day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** First day of the month holding `day`. */
export const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;

export function addMonths(month: string, n: number): string {
  const d = new Date(dayMs(monthStart(month.length === 7 ? `${month}-01` : month)));
  return utcDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
}

export function daysInMonth(day: string): number {
  const d = new Date(dayMs(day));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

/** A date range from optional query bounds, with a default length ending today, and a sanity check. */
export function rangeOf(query: { from?: string | undefined; to?: string | undefined }, today: string, defaultDays: number, maxDays = 3660): { from: string; to: string } {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(defaultDays - 1));
  if (from > to) throw new TallyError('invalid_request', `"from" (${from}) is after "to" (${to}): swap them.`);
  if (daysBetween(from, to) > maxDays) throw new TallyError('invalid_request', `The range ${from}..${to} is longer than ${maxDays} days: choose a shorter one.`);
  return { from, to };
}
