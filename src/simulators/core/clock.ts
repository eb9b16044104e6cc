export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Simulated time. The epoch is where the seeded history is anchored (day 0 starts there); the
 * clock starts at `startMs` (at or after the epoch), flows with the wall clock unless frozen, and
 * jumps forward on `advance`. Everything time-dependent in the simulators reads this clock:
 * record visibility, token and code expiry, rate-limit windows.
 */
export class SimClock {
  readonly epochMs: number;
  readonly startMs: number;
  readonly frozen: boolean;
  #advancedMs = 0;
  #realStart = Date.now();

  constructor(epochMs: number, startMs: number, frozen: boolean) {
    if (startMs < epochMs) throw new Error('the clock cannot start before the epoch');
    this.epochMs = epochMs;
    this.startMs = startMs;
    this.frozen = frozen;
  }

  now(): number {
    const flowed = this.frozen ? 0 : Date.now() - this.#realStart;
    return this.startMs + this.#advancedMs + flowed;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('time only moves forward');
    this.#advancedMs += ms;
  }

  /** Whole simulated days since the epoch (negative before it). */
  dayIndex(ms: number): number {
    return Math.floor((ms - this.epochMs) / DAY_MS);
  }

  dayStart(day: number): number {
    return this.epochMs + day * DAY_MS;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2026-03-04T05:06:07.123456+00:00`: the microsecond offset format Bitbucket sends. */
export function bitbucketTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

/** `2026-03-04T05:06:07Z`: DigitalOcean's format, no fraction. */
export function digitaloceanTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
