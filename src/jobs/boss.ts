import { PgBoss } from 'pg-boss';
import type { AppContext } from '../context.ts';

/**
 * A background job: pg-boss keeps it in Postgres, so any `tally serve` or `tally worker` process on any
 * machine may run it, and a cron schedule fires once across all of them.
 */
export type JobDefinition<T extends object = object> = {
  name: string;
  /** Cron (UTC) for recurring jobs. */
  cron?: string;
  retryLimit?: number;
  expireInSeconds?: number;
  run(ctx: AppContext, data: T): Promise<void>;
};

export type Jobs = { boss: PgBoss; stop(): Promise<void> };

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
    await boss.createQueue(job.name, { retryLimit: job.retryLimit ?? 3, retryBackoff: true, expireInSeconds: job.expireInSeconds ?? 900 });
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    if (options.work) {
      await boss.work<object>(job.name, async (batch) => {
        for (const item of batch) {
          const started = Date.now();
          await job.run(ctx, item.data ?? {});
          ctx.log.debug({ job: job.name, ms: Date.now() - started }, 'job done');
        }
      });
    }
  }
  return {
    boss,
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
