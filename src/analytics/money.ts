import { Decimal } from 'decimal.js';

/** Money is exact: decimal strings from Postgres numeric, added with decimal.js, written with two decimals. */

export type MoneyInput = string | number | Decimal | null | undefined;

export const dec = (v: MoneyInput): Decimal => new Decimal(v === null || v === undefined || v === '' ? 0 : v);

/** Two decimals, half away from zero ("12.345" -> "12.35"). */
export const money = (v: MoneyInput): string => dec(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

export const moneyOrNull = (v: MoneyInput): string | null => (v === null || v === undefined ? null : money(v));

export const sum = (values: MoneyInput[]): Decimal => values.reduce<Decimal>((acc, v) => acc.plus(dec(v)), new Decimal(0));

/** a ÷ b as money, null when b is 0. */
export const perUnit = (amount: MoneyInput, units: number): string | null => (units > 0 ? money(dec(amount).div(units)) : null);

/** (current − previous) ÷ previous as a plain number for display, null when previous is 0. */
export function changeRatio(current: MoneyInput, previous: MoneyInput): number | null {
  const p = dec(previous);
  if (p.isZero()) return null;
  return dec(current).minus(p).div(p).toDecimalPlaces(4).toNumber();
}

export { Decimal };
