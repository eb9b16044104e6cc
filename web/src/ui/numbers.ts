// Numbers as people read them. Money arrives from the API as decimal strings ("1234.50") so that no
// cent is lost on the way: sums and differences are exact (fixed-point bigint), and only charts,
// which need floats to draw, turn them into numbers.

/** Decimal places kept when adding money: more than any provider bills in (DigitalOcean uses 4 at most). */
const SCALE = 6;
const UNIT = 10n ** BigInt(SCALE);
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** "12.3456" -> 12345600n (millionths). Throws for anything that is not a plain decimal. */
export function parseDecimal(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a decimal amount`);
  const [, sign, whole = '0', fraction = ''] = match;
  // Digits past the scale are dropped: they are far below anything shown.
  const scaled = BigInt(whole) * UNIT + BigInt(fraction.slice(0, SCALE).padEnd(SCALE, '0'));
  return sign === '-' ? -scaled : scaled;
}

/** 12345600n -> "12.3456" (trailing zeros dropped, at least two decimals). */
export function formatDecimal(scaled: bigint): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const whole = abs / UNIT;
  let fraction = (abs % UNIT).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

export function sumDecimals(values: Iterable<string>): string {
  let total = 0n;
  for (const value of values) total += parseDecimal(value);
  return formatDecimal(total);
}

export function subtractDecimals(a: string, b: string): string {
  return formatDecimal(parseDecimal(a) - parseDecimal(b));
}

export function compareDecimals(a: string, b: string): number {
  const d = parseDecimal(a) - parseDecimal(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** For drawing only: a float close enough for a chart's pixels. */
export function decimalToNumber(value: string): number {
  return Number(value);
}

export type MoneyStyle = 'cents' | 'whole' | 'compact';

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(currency: string, style: MoneyStyle): Intl.NumberFormat {
  const key = `${currency}:${style}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      ...(style === 'cents' ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : {}),
      ...(style === 'whole' ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
      ...(style === 'compact' ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
    });
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * "$1,234.50". A decimal string is formatted from its digits (Intl rounds the string itself, half
 * away from zero), so "0.125" shows as $0.13 and not as whatever 0.125 is as a float.
 */
export function formatMoney(value: string | number, currency = 'USD', style: MoneyStyle = 'cents'): string {
  const format = moneyFormat(currency, style);
  if (typeof value === 'number') return format.format(value);
  parseDecimal(value);
  return format.format(value.trim() as `${number}`);
}

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const percentFormats = [0, 1, 2].map((digits) => new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: digits }));

/** 12345 -> "12,345". */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** 12345 -> "12.3K", for chart axes. */
export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

/** 0.423 -> "42%"; digits 0-2. */
export function formatPercent(ratio: number, digits: 0 | 1 | 2 = 0): string {
  return (percentFormats[digits] ?? percentFormats[0]!).format(ratio);
}

/**
 * Change from `previous` to `current` as a ratio (0.12 = 12 % more), or null when there was nothing
 * before to compare with (a change from zero has no meaningful percentage).
 */
export function changeRatio(current: string, previous: string): number | null {
  const before = parseDecimal(previous);
  if (before === 0n) return null;
  const delta = parseDecimal(current) - before;
  // Scale to basis points in bigint first so large amounts keep their precision.
  return Number((delta * 10_000n) / (before < 0n ? -before : before)) / 10_000;
}

/** 850 -> "850 ms", 12_400 -> "12.4 s", 135_000 -> "2 min 15 s", 4_000_000 -> "1 h 6 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = Math.round(seconds - minutes * 60);
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes - hours * 60;
  return restMinutes ? `${hours} h ${restMinutes} min` : `${hours} h`;
}
