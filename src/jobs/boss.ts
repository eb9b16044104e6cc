import { PgBoss } from 'pg-boss';
import type { AppContext } from '../context.ts';

/**
 * A background job: pg-boss keeps it in Postgres, so any `tally serve` or `tally worker` process on any
 * machine may run it, and a cron schedule fires once across all of them.
 */
export type JobDefinition<T extends object = any> = {
  name: string;
  /** Cron (UTC) for recurring jobs. */
  cron?: string;
  retryLimit?: number;
  /** Seconds between retries (doubling with jitter). */
  retryDelay?: number;
  expireInSeconds?: number;
  /** pg-boss queue policy, e.g. `stately`: one queued and one active job per singleton key. */
  policy?: 'standard' | 'stately';
  /** A job whose worker stops beating for this long is retried elsewhere (a crashed process). */
  heartbeatSeconds?: number;
  /** Jobs of this queue one process runs at once. */
  localConcurrency?: number;
  /** How often an idle worker looks for a new job of this queue (pg-boss's default: 2 s). */
  pollingIntervalSeconds?: number;
  run(ctx: AppContext, data: T, job: { id: string; signal: AbortSignal }): Promise<void>;
};

/** Puts a job in a queue; null when the queue's policy refused it (e.g. one is already queued for that key). */
export type JobQueue = {
  send(name: string, data: object, options?: { singletonKey?: string; startAfter?: number | Date }): Promise<string | null>;
};

export type Jobs = JobQueue & { boss: PgBoss; stop(): Promise<void> };

export async function startJobs(
  ctx: AppContext,
  connectionString: string,
  definitions: JobDefinition[],
  options: { work: boolean },
): Promise<Jobs> {
  const boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4, application_name: 'tally-jobs' });
  boss.on('error', (error) => ctx.log.error({ err: { message: error.message } }, 'job queue error'));
  await boss.start();
  for (const job of definitions) {
    const queue = {
      policy: job.policy ?? 'standard',
      retryLimit: job.retryLimit ?? 3,
      retryBackoff: true,
      ...(job.retryDelay !== undefined ? { retryDelay: job.retryDelay } : {}),
      expireInSeconds: job.expireInSeconds ?? 900,
      ...(job.heartbeatSeconds !== undefined ? { heartbeatSeconds: job.heartbeatSeconds } : {}),
    };
    await boss.createQueue(job.name, queue);
    // createQueue leaves an existing queue as it was: bring its options up to date.
    const { policy: _policy, ...updatable } = queue;
    await boss.updateQueue(job.name, updatable);
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    if (options.work) {
      await boss.work<object>(job.name, { localConcurrency: job.localConcurrency ?? 1, ...(job.pollingIntervalSeconds ? { pollingIntervalSeconds: job.pollingIntervalSeconds } : {}) }, async (batch) => {
        for (const item of batch) {
          const started = Date.now();
          await job.run(ctx, item.data ?? {}, { id: item.id, signal: item.signal });
          ctx.log.debug({ job: job.name, ms: Date.now() - started }, 'job done');
        }
      });
    }
  }
  return {
    boss,
    async send(name, data, sendOptions = {}) {
      return boss.send(name, data, sendOptions);
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
