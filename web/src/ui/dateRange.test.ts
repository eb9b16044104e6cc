import { describe, expect, it } from 'vitest';
import {
  carryRange,
  checkCustomRange,
  describeRange,
  presetRange,
  previousRange,
  rangeDays,
  readRange,
  withRange,
} from './dateRange.ts';

const NOW = new Date('2026-06-15T18:30:00Z');

describe('the shared date range', () => {
  it('turns presets into inclusive UTC days ending today', () => {
    expect(presetRange('7d', NOW)).toEqual({ preset: '7d', from: '2026-06-09', to: '2026-06-15' });
    expect(rangeDays(presetRange('30d', NOW))).toBe(30);
    expect(rangeDays(presetRange('90d', NOW))).toBe(90);
    expect(presetRange('mtd', NOW)).toEqual({ preset: 'mtd', from: '2026-06-01', to: '2026-06-15' });
    expect(presetRange('12m', NOW)).toEqual({ preset: '12m', from: '2025-06-16', to: '2026-06-15' });
    expect(presetRange('6m', new Date('2026-03-31T00:00:00Z')).from).toBe('2025-10-01');
  });

  it('uses the day in UTC, whatever the hour', () => {
    expect(presetRange('7d', new Date('2026-06-15T23:59:59Z')).to).toBe('2026-06-15');
    expect(presetRange('7d', new Date('2026-06-16T00:00:00Z')).to).toBe('2026-06-16');
  });

  it('reads the range from the URL, and falls back to the last 90 days', () => {
    expect(readRange('?range=30d', NOW)).toEqual(presetRange('30d', NOW));
    expect(readRange('', NOW)).toEqual(presetRange('90d', NOW));
    expect(readRange('?range=forever', NOW)).toEqual(presetRange('90d', NOW));
    expect(readRange('?range=custom&from=2026-01-01&to=2026-02-28', NOW)).toEqual({ preset: 'custom', from: '2026-01-01', to: '2026-02-28' });
  });

  it('ignores custom ranges that are backwards, malformed, in the future or absurdly long', () => {
    const fallback = presetRange('90d', NOW);
    expect(readRange('?range=custom&from=2026-03-01&to=2026-02-01', NOW)).toEqual(fallback);
    expect(readRange('?range=custom&from=2026-02-30&to=2026-03-01', NOW)).toEqual(fallback);
    expect(readRange('?range=custom&from=2027-01-01&to=2027-02-01', NOW)).toEqual(fallback);
    expect(readRange('?range=custom&from=2000-01-01&to=2026-01-01', NOW)).toEqual(fallback);
  });

  it('says what to fix in a custom range', () => {
    expect(checkCustomRange('', '2026-01-01', NOW)).toBe('Enter both dates.');
    expect(checkCustomRange('2026-02-01', '2026-01-01', NOW)).toMatch(/on or before/);
    expect(checkCustomRange('2026-05-01', '2026-05-01', NOW)).toBeNull();
  });

  it('writes the range into the query string and keeps the other parameters', () => {
    expect(withRange('?window=30', presetRange('7d', NOW))).toBe('?window=30&range=7d');
    expect(withRange('?range=7d&window=30', presetRange('90d', NOW))).toBe('?window=30');
    expect(withRange('', { preset: 'custom', from: '2026-01-01', to: '2026-01-31' })).toBe('?range=custom&from=2026-01-01&to=2026-01-31');
  });

  it('carries only the range to other pages', () => {
    expect(carryRange('?range=12m&window=7&q=ann')).toBe('?range=12m');
    expect(carryRange('?q=ann')).toBe('');
    expect(carryRange('?range=custom&from=2026-01-01&to=2026-01-31')).toBe('?range=custom&from=2026-01-01&to=2026-01-31');
  });

  it('compares with the period just before, of the same length', () => {
    expect(previousRange(presetRange('30d', NOW))).toEqual({ from: '2026-04-17', to: '2026-05-16' });
  });

  it('describes presets by name and custom ranges by their days', () => {
    expect(describeRange(presetRange('30d', NOW))).toBe('Last 30 days');
    expect(describeRange({ preset: 'custom', from: '2026-03-03', to: '2026-04-15' })).toBe('Mar 3 – Apr 15, 2026');
    expect(describeRange({ preset: 'custom', from: '2025-12-03', to: '2026-01-15' })).toBe('Dec 3, 2025 – Jan 15, 2026');
  });
});
