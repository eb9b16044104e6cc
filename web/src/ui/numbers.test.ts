import { describe, expect, it } from 'vitest';
import {
  changeRatio,
  compareDecimals,
  formatCount,
  formatDecimal,
  formatDuration,
  formatMoney,
  formatPercent,
  parseDecimal,
  subtractDecimals,
  sumDecimals,
} from './numbers.ts';

describe('money from decimal strings', () => {
  it('adds amounts exactly, where floats would drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.30');
    expect(sumDecimals(['1234.5', '0.0001', '-34.5'])).toBe('1200.0001');
    expect(sumDecimals([])).toBe('0.00');
    expect(sumDecimals(Array.from({ length: 1000 }, () => '0.07'))).toBe('70.00');
  });

  it('keeps amounts far beyond what a float holds exactly', () => {
    expect(sumDecimals(['9007199254740993.01', '1.00'])).toBe('9007199254740994.01');
  });

  it('subtracts and compares', () => {
    expect(subtractDecimals('100.00', '100.01')).toBe('-0.01');
    expect(compareDecimals('2.5', '10')).toBe(-1);
    expect(compareDecimals('10.00', '10')).toBe(0);
    expect(compareDecimals('-1', '-2')).toBe(1);
  });

  it('round-trips through the fixed-point form', () => {
    expect(formatDecimal(parseDecimal('42'))).toBe('42.00');
    expect(formatDecimal(parseDecimal('-0.5'))).toBe('-0.50');
    expect(formatDecimal(parseDecimal('3.141592'))).toBe('3.141592');
  });

  it('refuses what is not a decimal amount, instead of showing NaN', () => {
    expect(() => parseDecimal('12,50')).toThrow(/not a decimal amount/);
    expect(() => parseDecimal('')).toThrow();
    expect(() => formatMoney('abc')).toThrow(/not a decimal amount/);
  });

  it('formats dollars with cents, whole or compact', () => {
    expect(formatMoney('1234.5')).toBe('$1,234.50');
    expect(formatMoney('1234.5', 'USD', 'whole')).toBe('$1,235');
    expect(formatMoney('1234567', 'USD', 'compact')).toBe('$1.2M');
    expect(formatMoney('-15.2')).toBe('-$15.20');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney('10', 'EUR')).toBe('€10.00');
  });

  it('rounds the decimal digits themselves, half away from zero', () => {
    // As a float 1.005 is 1.00499999…, which would round down.
    expect(formatMoney('1.005')).toBe('$1.01');
    expect(formatMoney('0.125')).toBe('$0.13');
  });
});

describe('changes, counts and durations', () => {
  it('gives the change against last period as a ratio, or null from zero', () => {
    expect(changeRatio('110', '100')).toBe(0.1);
    expect(changeRatio('75.00', '100.00')).toBe(-0.25);
    expect(changeRatio('5', '0')).toBeNull();
    expect(changeRatio('0', '0')).toBeNull();
  });

  it('formats counts and percentages', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatPercent(0.4236)).toBe('42%');
    expect(formatPercent(0.4236, 1)).toBe('42.4%');
  });

  it('writes durations the way a person would say them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1_234)).toBe('1.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(135_000)).toBe('2 min 15 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_960_000)).toBe('1 h 6 min');
  });
});
