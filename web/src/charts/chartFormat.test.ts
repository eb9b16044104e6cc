import { describe, expect, it } from 'vitest';
import { longDateLabel, shortDateLabel, weekLabel } from './chartFormat.ts';

describe('chart labels', () => {
  it('writes days and months short on axes and in full in tooltips, in UTC', () => {
    expect(shortDateLabel('2026-06-15')).toBe('Jun 15');
    expect(shortDateLabel('2026-06')).toBe('Jun 2026');
    expect(longDateLabel('2026-06-15')).toBe('Mon, Jun 15, 2026');
    expect(longDateLabel('2026-06')).toBe('June 2026');
    expect(longDateLabel('2026-01-01T00:30:00Z')).toBe('Thu, Jan 1, 2026');
  });

  it('names weekly buckets by their first day and leaves other text alone', () => {
    expect(weekLabel('2026-06-15')).toBe('Week of Jun 15');
    expect(shortDateLabel('Droplets')).toBe('Droplets');
  });
});
