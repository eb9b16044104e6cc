/**
 * A rolling window: each counted request expires on its own timer `windowMs` after it was made,
 * which is how both providers describe their hourly budgets.
 */
export class RollingWindow {
  readonly limit: number;
  readonly windowMs: number;
  #times: number[] = [];
  #head = 0;

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  #expire(now: number): void {
    while (this.#head < this.#times.length && (this.#times[this.#head] as number) <= now - this.windowMs) this.#head++;
    // Compact now and then so a long-running simulator does not keep every timestamp.
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  used(now: number): number {
    this.#expire(now);
    return this.#times.length - this.#head;
  }

  remaining(now: number): number {
    return Math.max(0, this.limit - this.used(now));
  }

  /** When the oldest counted request stops counting (or `now` if none counts). */
  oldestExpiry(now: number): number {
    this.#expire(now);
    const oldest = this.#times[this.#head];
    return oldest === undefined ? now : oldest + this.windowMs;
  }

  record(now: number): void {
    this.#times.push(now);
  }
}

/** One window per key (a token, an OAuth consumer), created on first use. */
export class WindowsByKey {
  #windows = new Map<string, RollingWindow>();
  readonly #scale: number;

  /** `scale` multiplies every limit (benchmarks); 1 keeps the documented ones. */
  constructor(scale = 1) {
    this.#scale = scale;
  }

  get(key: string, documentedLimit: number, windowMs: number): RollingWindow {
    const limit = Math.round(documentedLimit * this.#scale);
    const id = `${key}\u0000${limit}\u0000${windowMs}`;
    let window = this.#windows.get(id);
    if (!window) {
      window = new RollingWindow(limit, windowMs);
      this.#windows.set(id, window);
    }
    return window;
  }

  clear(): void {
    this.#windows.clear();
  }
}
