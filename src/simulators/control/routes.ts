import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bitbucketTime } from '../core/clock.ts';
import { faultRuleInput } from '../core/faults.ts';
import { pullRequestView, issueView } from '../bitbucket/serialize-activity.ts';
import { computeTruth } from '../truth.ts';
import { advanceTime } from './advance.ts';
import { controlError, simulatorInfo } from './context.ts';
import type { ControlContext } from './context.ts';
import { registerCredentialRoutes } from './credentials.ts';

/** The control API under `/_sim` (documented in docs/simulators.md). */

const MAX_ADVANCE_DAYS = 400;
const advanceBody = z
  .object({ days: z.number().min(0).optional(), hours: z.number().min(0).optional() })
  .refine((b) => (b.days ?? 0) + (b.hours ?? 0) > 0, 'give days or hours greater than 0')
  .refine((b) => (b.days ?? 0) + (b.hours ?? 0) / 24 <= MAX_ADVANCE_DAYS, `advance at most ${MAX_ADVANCE_DAYS} days at a time`);

const mutateBody = z.object({
  /** `<workspace>/<slug>` or `<slug>`; not needed for `repositories`. */
  repository: z.string().min(1).optional(),
  kind: z.enum(['pullrequests', 'issues', 'repositories']),
  /** How many records to touch; by default the ones updated longest ago. */
  count: z.number().int().positive().max(1000).default(1),
  /** Or exactly these ids (pull request or issue numbers). */
  ids: z.array(z.number().int().positive()).optional(),
});

export function registerControlRoutes(app: FastifyInstance, ctx: ControlContext): void {
  const origin = (request: { protocol: string; host: string }) => `${request.protocol}://${request.host}`;

  app.get('/info', async (request) => simulatorInfo(origin(request), ctx));
  app.get('/routes', async () => ctx.catalog.list());

  app.get('/counters', async () => ctx.counters.snapshot());
  app.post('/counters/reset', async () => {
    ctx.counters.reset();
    return ctx.counters.snapshot();
  });

  app.get('/faults', async () => ctx.faults.list());
  app.post('/faults', async (request, reply) => {
    const body = faultRuleInput.safeParse(request.body);
    if (!body.success) return controlError(reply, 400, 'invalid_request', body.error.message);
    return reply.code(201).send(ctx.faults.add(body.data));
  });
  app.delete('/faults/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    return ctx.faults.remove(id) ? reply.code(204).send() : controlError(reply, 404, 'not_found', `No fault rule ${id}`);
  });
  app.delete('/faults', async (_request, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });

  app.get('/time', async () => ({ epoch: new Date(ctx.clock.epochMs).toISOString(), now: new Date(ctx.clock.now()).toISOString(), frozen: ctx.clock.frozen }));
  app.post('/time/advance', async (request, reply) => {
    const body = advanceBody.safeParse(request.body);
    if (!body.success) return controlError(reply, 400, 'invalid_request', body.error.message);
    return advanceTime((body.data.days ?? 0) * 24 + (body.data.hours ?? 0), ctx.digitalocean, ctx.bitbucket);
  });

  app.get('/truth', async () => computeTruth(ctx.digitalocean, ctx.bitbucket));

  app.post('/bitbucket/mutate', async (request, reply) => {
    const body = mutateBody.safeParse(request.body);
    if (!body.success) return controlError(reply, 400, 'invalid_request', body.error.message);
    const world = ctx.bitbucket.world;
    const now = ctx.clock.now();
    const { kind, count, ids } = body.data;
    if (kind === 'repositories') {
      const oldest = [...world.state.repositories].filter((r) => r.createdOn <= now).sort((a, b) => world.repositoryUpdatedOn(a) - world.repositoryUpdatedOn(b)).slice(0, count);
      for (const r of oldest) world.bump('repository', r, 0, now);
      return { touched: oldest.map((r) => ({ slug: r.slug, updated_on: bitbucketTime(now) })) };
    }
    const slug = body.data.repository?.split('/').pop() ?? '';
    const repo = world.repository(slug);
    if (!repo) return controlError(reply, 404, 'not_found', `No repository ${body.data.repository ?? '(none given)'}`);
    const history = world.history(repo);
    const records =
      kind === 'pullrequests'
        ? history.pullrequests.filter((p) => p.createdOn <= now).map((p) => ({ id: p.id, updatedOn: pullRequestView(p, now, world.bumpedAt('pullrequest', repo, p.id)).updatedOn }))
        : history.issues.filter((i) => i.createdOn <= now).map((i) => ({ id: i.id, updatedOn: issueView(i, now, world.bumpedAt('issue', repo, i.id)).updatedOn }));
    const chosen = ids ? records.filter((r) => ids.includes(r.id)) : [...records].sort((a, b) => a.updatedOn - b.updatedOn || a.id - b.id).slice(0, count);
    if (ids && chosen.length !== ids.length) return controlError(reply, 404, 'not_found', `Some ids do not exist in ${repo.slug}`);
    // Each touched record gets its own millisecond, so their new order is well defined.
    chosen.forEach((r, i) => world.bump(kind === 'pullrequests' ? 'pullrequest' : 'issue', repo, r.id, now + i));
    return { touched: chosen.map((r, i) => ({ id: r.id, updated_on: bitbucketTime(now + i) })) };
  });

  registerCredentialRoutes(app, ctx);
}
