import { digitaloceanTime as time } from '../../core/clock.ts';
import { randomFor } from '../../core/random.ts';
import { ok } from '../../core/reply.ts';
import { aliveAt } from '../world.ts';
import type { DigitalOceanWorld } from '../world.ts';
import { notFound } from '../api.ts';
import type { DoRequestContext, DoRoute } from '../api.ts';
import type { DoProject } from '../model.ts';
import { pagedBody } from '../paging.ts';
import * as json from '../serialize.ts';

/** Projects and what is assigned to them, as URNs (`do:droplet:<id>`, `do:volume:<uuid>`, ...). */

function resourcesOf(ctx: DoRequestContext, project: DoProject) {
  const s = ctx.world.state;
  const mine = <T extends { projectId: string }>(items: T[]) => items.filter((i) => i.projectId === project.id);
  const entries: Array<{ urn: string; assignedAt: number; self: string }> = [
    ...mine(ctx.world.droplets()).filter((d) => d.kubernetesClusterId === null).map((d) => ({ urn: `do:droplet:${d.id}`, assignedAt: d.createdAt, self: `/v2/droplets/${d.id}` })),
    ...mine(aliveAt(s.volumes, ctx.now)).map((v) => ({ urn: `do:volume:${v.id}`, assignedAt: v.createdAt, self: `/v2/volumes/${v.id}` })),
    ...mine(aliveAt(s.databases, ctx.now)).map((d) => ({ urn: `do:dbaas:${d.id}`, assignedAt: d.createdAt, self: `/v2/databases/${d.id}` })),
    ...mine(aliveAt(s.clusters, ctx.now)).map((c) => ({ urn: `do:kubernetes:${c.id}`, assignedAt: c.createdAt, self: `/v2/kubernetes/clusters/${c.id}` })),
    ...mine(aliveAt(s.loadBalancers, ctx.now)).map((l) => ({ urn: `do:loadbalancer:${l.id}`, assignedAt: l.createdAt, self: `/v2/load_balancers/${l.id}` })),
  ];
  return entries.sort((a, b) => a.assignedAt - b.assignedAt);
}

function resourcesBody(ctx: DoRequestContext, path: string, project: DoProject) {
  return pagedBody(ctx, path, 'resources', resourcesOf(ctx, project), (r) => ({
    urn: r.urn,
    assigned_at: time(r.assignedAt),
    links: { self: `${ctx.apiBase}${r.self}` },
    status: 'ok',
  }));
}

export function projectRoutes(world: DigitalOceanWorld): DoRoute[] {
  const s = world.state;
  const owner = s.users[0];
  if (!owner) throw new Error('the simulated team has no owner');
  const ownerId = randomFor(world.seed, 'do', 'owner-id').int(1_000_000, 9_999_999);
  const serialize = (p: DoProject) => json.project(p, owner, ownerId);
  const byId = (id: string | undefined) => s.projects.find((p) => p.id === id) ?? null;
  const defaultProject = () => s.projects.find((p) => p.isDefault) as DoProject;
  return [
    {
      documentPath: '/v2/projects',
      handle: (ctx) => ok(pagedBody(ctx, '/v2/projects', 'projects', s.projects, serialize)),
      examples: () => ['/v2/projects', '/v2/projects?per_page=2'],
    },
    {
      documentPath: '/v2/projects/default',
      handle: () => ok({ project: serialize(defaultProject()) }),
      examples: () => ['/v2/projects/default'],
    },
    {
      documentPath: '/v2/projects/{project_id}',
      handle: (ctx) => {
        const p = byId(ctx.params.project_id);
        return p ? ok({ project: serialize(p) }) : notFound();
      },
      examples: () => [`/v2/projects/${s.projects[1]?.id ?? s.projects[0]?.id}`, '/v2/projects/00000000-0000-4000-8000-000000000000'],
    },
    {
      documentPath: '/v2/projects/{project_id}/resources',
      handle: (ctx) => {
        const p = byId(ctx.params.project_id);
        return p ? ok(resourcesBody(ctx, `/v2/projects/${p.id}/resources`, p)) : notFound();
      },
      examples: () => [`/v2/projects/${s.projects[0]?.id}/resources`, `/v2/projects/${s.projects[0]?.id}/resources?per_page=3&page=2`],
    },
    {
      documentPath: '/v2/projects/default/resources',
      handle: (ctx) => ok(resourcesBody(ctx, '/v2/projects/default/resources', defaultProject())),
      examples: () => ['/v2/projects/default/resources'],
    },
  ];
}
