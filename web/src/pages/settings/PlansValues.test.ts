import { describe, expect, it } from 'vitest';
import { draftOf, formatDay, parseMoneyInput, seatCost, toRequest } from './PlansValues.ts';

describe('money typed into the plan form', () => {
  it.each([
    ['', { value: null }],
    ['  ', { value: null }],
    ['15', { value: '15.00' }],
    ['15.5', { value: '15.50' }],
    ['15.', { value: '15.00' }],
    ['$1,200.05', { value: '1200.05' }],
    ['USD 3', { value: '3.00' }],
    ['12,5', { value: '12.50' }],
    ['1,234,567', { value: '1234567.00' }],
    ['007.10', { value: '7.10' }],
    ['0.125', { error: 'Use at most two decimals (cents).' }],
    ['-3', { error: 'Enter an amount of 0 or more.' }],
    ['ten', { error: 'Enter an amount in dollars, e.g. 15.00.' }],
    ['1.2.3', { error: 'Enter an amount in dollars, e.g. 15.00.' }],
  ])('%j', (text, expected) => {
    expect(parseMoneyInput(text)).toEqual(expected);
  });
});

describe('the request the form sends', () => {
  const empty = draftOf({ planName: null, pricePerSeat: null, seatCountOverride: null, renewalDate: null, contractValue: null, inactivityThresholdDays: 60, updatedAt: null, updatedBy: null });

  it('sends every field of a people-based app, empty ones as null', () => {
    expect(toRequest({ ...empty, planName: ' Premium ', pricePerSeat: '6.6', renewalDate: '2027-03-01' }, true)).toEqual({
      input: { planName: 'Premium', pricePerSeat: '6.60', seatCountOverride: null, renewalDate: '2027-03-01', contractValue: null, inactivityThresholdDays: 60 },
    });
  });

  it('sends only plan, renewal and contract for an app billed by resource', () => {
    expect(toRequest({ ...empty, pricePerSeat: 'ignored', contractValue: '1000' }, false)).toEqual({ input: { planName: null, renewalDate: null, contractValue: '1000.00' } });
  });

  it('leaves ranges to the API but refuses what cannot be a number', () => {
    expect(toRequest({ ...empty, seatCountOverride: '2.5', inactivityThresholdDays: '', pricePerSeat: 'x' }, true)).toEqual({
      errors: { seatCountOverride: 'Enter a whole number.', inactivityThresholdDays: 'Enter a number of days (60 unless you have a reason).', pricePerSeat: 'Enter an amount in dollars, e.g. 15.00.' },
    });
    expect(toRequest({ ...empty, inactivityThresholdDays: '3' }, true)).toMatchObject({ input: { inactivityThresholdDays: 3 } });
  });
});

describe('what seats cost', () => {
  it.each([
    [12, '6.60', '79.20'],
    [3, '0.05', '0.15'],
    [0, '15.00', '0.00'],
    [100_000, '9999999999.99', '999999999999000.00'],
    [null, '6.60', null],
    [5, null, null],
  ])('%s seats at %s', (seats, price, expected) => {
    expect(seatCost(seats, price)).toBe(expected);
  });

  it('shows a calendar day the same in every time zone', () => {
    expect(formatDay('2027-03-01')).toMatch(/Mar 1, 2027|1 Mar 2027/);
  });
});
