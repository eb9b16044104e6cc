// The plan form's values: what an admin types (strings, as inputs hold them) to what the API takes.
// Money stays a decimal string from the keyboard to the database: never a float on the way.
import type { AppSettings, AppSettingsInput } from '../../api/appSettings.ts';

export const PLAN_FIELDS = ['planName', 'pricePerSeat', 'seatCountOverride', 'renewalDate', 'contractValue', 'inactivityThresholdDays'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];
export type PlanDraft = Record<PlanField, string>;

export function draftOf(s: AppSettings): PlanDraft {
  return {
    planName: s.planName ?? '',
    pricePerSeat: s.pricePerSeat ?? '',
    seatCountOverride: s.seatCountOverride === null ? '' : String(s.seatCountOverride),
    renewalDate: s.renewalDate ?? '',
    contractValue: s.contractValue ?? '',
    inactivityThresholdDays: String(s.inactivityThresholdDays),
  };
}

/**
 * "$1,200.5" -> "1200.50", "12,5" (a decimal comma) -> "12.50", "" -> null. An amount with more than two
 * decimals is refused rather than rounded: a price is entered as billed.
 */
export function parseMoneyInput(text: string): { value: string | null } | { error: string } {
  let v = text.replace(/[\s$€£]/g, '').replace(/^USD/i, '');
  if (v === '') return { value: null };
  if (/^\d+,\d{1,2}$/.test(v)) v = v.replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(v)) v = v.replace(/,/g, '');
  if (v.startsWith('-')) return { error: 'Enter an amount of 0 or more.' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(v);
  if (!m) return { error: 'Enter an amount in dollars, e.g. 15.00.' };
  const cents = m[2] ?? '';
  if (cents.length > 2) return { error: 'Use at most two decimals (cents).' };
  return { value: `${BigInt(m[1]!)}.${cents.padEnd(2, '0')}` };
}

/** A whole number typed in a field; the API checks its range and says so. */
function parseWhole(text: string): { value: number | null } | { error: string } {
  const v = text.trim().replace(/[\s,]/g, '');
  if (v === '') return { value: null };
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) return { error: 'Enter a whole number.' };
  return { value: Number(v) };
}

/**
 * The request for the API, or the fields that cannot become one. Apps whose spend is not seats × price
 * (DigitalOcean bills by resource) only send their plan, renewal and contract.
 */
export function toRequest(draft: PlanDraft, peopleBased: boolean): { input: AppSettingsInput } | { errors: Partial<Record<PlanField, string>> } {
  const errors: Partial<Record<PlanField, string>> = {};
  const price = parseMoneyInput(draft.pricePerSeat);
  const contract = parseMoneyInput(draft.contractValue);
  const seats = parseWhole(draft.seatCountOverride);
  const threshold = parseWhole(draft.inactivityThresholdDays);
  if ('error' in contract) errors.contractValue = contract.error;
  if (peopleBased) {
    if ('error' in price) errors.pricePerSeat = price.error;
    if ('error' in seats) errors.seatCountOverride = seats.error;
    if ('error' in threshold) errors.inactivityThresholdDays = threshold.error;
    else if (threshold.value === null) errors.inactivityThresholdDays = 'Enter a number of days (60 unless you have a reason).';
  }
  if (Object.keys(errors).length > 0) return { errors };
  const input: AppSettingsInput = {
    planName: draft.planName.trim() || null,
    renewalDate: draft.renewalDate || null,
    contractValue: 'value' in contract ? contract.value : null,
  };
  if (peopleBased && 'value' in price && 'value' in seats && 'value' in threshold) {
    input.pricePerSeat = price.value;
    input.seatCountOverride = seats.value;
    input.inactivityThresholdDays = threshold.value!;
  }
  return { input };
}

/** Seats × price per seat for a month, exactly (cents as bigint), or null when either is unknown. */
export function seatCost(seats: number | null, pricePerSeat: string | null): string | null {
  if (seats === null || pricePerSeat === null) return null;
  const [whole, cents = ''] = pricePerSeat.split('.');
  const total = (BigInt(whole!) * 100n + BigInt(cents.padEnd(2, '0').slice(0, 2))) * BigInt(seats);
  return `${total / 100n}.${(total % 100n).toString().padStart(2, '0')}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "2027-03-01" -> "Mar 1, 2027": a calendar day, the same in every time zone. */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}
