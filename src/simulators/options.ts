import { z } from 'zod';
import { DAY_MS } from './core/clock.ts';

export const DEFAULT_SEED = 1;

/** Today 00:00 UTC: the default end of the seeded history, so a day's runs share their data. */
export function defaultEpoch(): number {
  return Math.floor(Date.now() / DAY_MS) * DAY_MS;
}

const clientSchema = z.object({
  provider: z.enum(['digitalocean', 'bitbucket']),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
});

export const simulatorOptionsSchema = z.object({
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  preset: z.enum(['small', 'large']).default('small'),
  seed: z.number().int().default(DEFAULT_SEED),
  clients: z.array(clientSchema).default([]),
  /** false, pino options for Fastify's logger, or a logger instance (pino, or the app's). */
  logger: z.union([z.literal(false), z.custom<object>((v) => typeof v === 'object' && v !== null)]).default(false),
  /**
   * Where the seeded history ends (ISO 8601). Default: today 00:00 UTC, and the clock then starts
   * at the current time. With an explicit epoch the clock starts at the epoch, so runs repeat exactly.
   */
  epoch: z.iso.datetime({ offset: true }).optional(),
  /** Keep simulated time still except for explicit advances (tests that count exactly). */
  freezeTime: z.boolean().default(false),
  /**
   * Multiplies every rate limit (1: as the providers document them). Benchmarks that measure Tally's
   * throughput rather than its request budget raise it.
   */
  rateLimitScale: z.number().positive().default(1),
  /**
   * Paid seats the Bitbucket workspace is billed for (default: its members). They scale the
   * /2.0/repositories/* rate limit, so a test can see that budget at any size without the large preset.
   */
  bitbucketPaidSeats: z.number().int().positive().optional(),
});

export type SimulatorOptions = z.input<typeof simulatorOptionsSchema>;
export type ResolvedSimulatorOptions = z.output<typeof simulatorOptionsSchema>;

export function resolveClockStart(options: ResolvedSimulatorOptions): { epochMs: number; startMs: number } {
  if (options.epoch) {
    const epochMs = Date.parse(options.epoch);
    return { epochMs, startMs: epochMs };
  }
  return { epochMs: defaultEpoch(), startMs: Date.now() };
}
