// Axis and tooltip labels for the charts: short where space is short, complete in the tooltip.

const dayShort = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLong = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const monthShort = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthLong = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

function toDate(value: string): Date | null {
  // "2026-06" (a month) or "2026-06-15" (a day), or a full timestamp.
  const date = new Date(/^\d{4}-\d{2}$/.test(value) ? `${value}-01T00:00:00Z` : /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Jun 15" for a day, "Jun 2026" for a month; unknown text comes back as it was. */
export function shortDateLabel(value: string): string {
  const date = toDate(value);
  if (!date) return value;
  return /^\d{4}-\d{2}$/.test(value) ? monthShort.format(date) : dayShort.format(date);
}

/** "Mon, Jun 15, 2026" for a day, "June 2026" for a month. */
export function longDateLabel(value: string): string {
  const date = toDate(value);
  if (!date) return value;
  return /^\d{4}-\d{2}$/.test(value) ? monthLong.format(date) : dayLong.format(date);
}

/** "Week of Jun 15" for the Monday a weekly bucket starts on. */
export function weekLabel(value: string): string {
  const date = toDate(value);
  return date ? `Week of ${dayShort.format(date)}` : value;
}
