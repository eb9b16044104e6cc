import { ok } from '../../core/reply.ts';
import { aliveAt } from '../world.ts';
import type { DigitalOceanWorld } from '../world.ts';
import { notFound } from '../api.ts';
import type { DoRequestContext, DoRoute } from '../api.ts';
import { pagedBody } from '../paging.ts';
import * as json from '../serialize.ts';

/** Account and the resource lists: droplets, volumes, snapshots, databases, apps, clusters, ... */

function serializeDroplet(ctx: DoRequestContext) {
  const s = ctx.world.state;
  return (d: (typeof s.droplets)[number]) =>
    json.droplet(
      d,
      s.volumes.filter((v) => v.dropletId === d.id && v.deletedAt === null).map((v) => v.id),
      s.snapshots.filter((sn) => sn.resourceType === 'droplet' && sn.resourceId === String(d.id) && sn.createdAt <= ctx.now).map((sn) => Number(sn.id)),
      ctx.world.seed,
      ctx.now,
    );
}

export function resourceRoutes(world: DigitalOceanWorld): DoRoute[] {
  const s = world.state;
  const firstDroplet = () => world.droplets()[0];
  return [
    {
      documentPath: '/v2/account',
      handle: (ctx) => ok({ account: json.account(ctx.caller.user, s.team) }),
      examples: () => ['/v2/account'],
    },
    {
      documentPath: '/v2/droplets',
      handle(ctx) {
        let list = ctx.world.droplets();
        if (ctx.query.tag_name) list = list.filter((d) => d.tags.includes(ctx.query.tag_name as string));
        if (ctx.query.name) list = list.filter((d) => d.name === ctx.query.name);
        // This team has no GPU Droplets.
        if (ctx.query.type === 'gpus') list = [];
        return ok(pagedBody(ctx, '/v2/droplets', 'droplets', list, serializeDroplet(ctx)));
      },
      examples: () => ['/v2/droplets', '/v2/droplets?page=2&per_page=5', '/v2/droplets?tag_name=web', '/v2/droplets?per_page=0'],
    },
    {
      documentPath: '/v2/droplets/{droplet_id}',
      handle(ctx) {
        const d = /^\d+$/.test(ctx.params.droplet_id ?? '') ? ctx.world.droplet(Number(ctx.params.droplet_id)) : null;
        return d ? ok({ droplet: serializeDroplet(ctx)(d) }) : notFound();
      },
      examples: () => [`/v2/droplets/${firstDroplet()?.id}`, '/v2/droplets/1'],
    },
    {
      documentPath: '/v2/volumes',
      handle(ctx) {
        let list = aliveAt(s.volumes, ctx.now);
        if (ctx.query.name) list = list.filter((v) => v.name === ctx.query.name);
        if (ctx.query.region) list = list.filter((v) => v.region === ctx.query.region);
        return ok(pagedBody(ctx, '/v2/volumes', 'volumes', list, json.volume));
      },
      examples: () => ['/v2/volumes', '/v2/volumes?per_page=2&page=2', `/v2/volumes?region=${s.volumes[0]?.region}`],
    },
    {
      documentPath: '/v2/snapshots',
      handle(ctx) {
        let list = s.snapshots.filter((sn) => sn.createdAt <= ctx.now);
        if (ctx.query.resource_type) list = list.filter((sn) => sn.resourceType === ctx.query.resource_type);
        return ok(pagedBody(ctx, '/v2/snapshots', 'snapshots', list, json.snapshot));
      },
      examples: () => ['/v2/snapshots', '/v2/snapshots?resource_type=volume'],
    },
    {
      documentPath: '/v2/databases',
      // The database cluster list is not paginated.
      handle(ctx) {
        let list = aliveAt(s.databases, ctx.now);
        if (ctx.query.tag_name) list = list.filter((db) => db.tags.includes(ctx.query.tag_name as string));
        return ok({ databases: list.map((db) => json.database(db, world.seed)) });
      },
      examples: () => ['/v2/databases', '/v2/databases?tag_name=prod'],
    },
    {
      documentPath: '/v2/apps',
      handle: (ctx) => {
        const owner = s.users[0]?.uuid ?? '';
        return ok(pagedBody(ctx, '/v2/apps', 'apps', aliveAt(s.apps, ctx.now), (a) => json.app(a, owner)));
      },
      examples: () => ['/v2/apps', '/v2/apps?per_page=1'],
    },
    {
      documentPath: '/v2/kubernetes/clusters',
      handle: (ctx) => {
        const createdAt = (id: number) => s.droplets.find((d) => d.id === id)?.createdAt ?? ctx.now;
        return ok(pagedBody(ctx, '/v2/kubernetes/clusters', 'kubernetes_clusters', aliveAt(s.clusters, ctx.now), (c) => json.kubernetesCluster(c, createdAt, world.seed)));
      },
      examples: () => ['/v2/kubernetes/clusters'],
    },
    {
      documentPath: '/v2/load_balancers',
      handle: (ctx) => ok(pagedBody(ctx, '/v2/load_balancers', 'load_balancers', aliveAt(s.loadBalancers, ctx.now), json.loadBalancer)),
      examples: () => ['/v2/load_balancers'],
    },
    {
      documentPath: '/v2/firewalls',
      handle: (ctx) => ok(pagedBody(ctx, '/v2/firewalls', 'firewalls', s.firewalls.filter((f) => f.createdAt <= ctx.now), json.firewall)),
      examples: () => ['/v2/firewalls', '/v2/firewalls?per_page=1&page=2'],
    },
    {
      documentPath: '/v2/tags',
      handle: (ctx) => ok(pagedBody(ctx, '/v2/tags', 'tags', tagSummaries(ctx), (t) => t)),
      examples: () => ['/v2/tags'],
    },
  ];
}

function tagSummaries(ctx: DoRequestContext) {
  const s = ctx.world.state;
  const droplets = ctx.world.droplets();
  const volumes = aliveAt(s.volumes, ctx.now);
  const databases = aliveAt(s.databases, ctx.now);
  const names = [...new Set([...droplets, ...volumes, ...databases].flatMap((r) => r.tags))].sort();
  return names.map((name) => {
    const d = droplets.filter((x) => x.tags.includes(name));
    const v = volumes.filter((x) => x.tags.includes(name));
    const db = databases.filter((x) => x.tags.includes(name));
    const lastDroplet = d.at(-1);
    const lastUri = lastDroplet ? `/v2/droplets/${lastDroplet.id}` : '';
    return {
      name,
      resources: {
        count: d.length + v.length + db.length,
        last_tagged_uri: lastUri,
        droplets: { count: d.length, last_tagged_uri: lastUri },
        // The document spells this key `imgages`; the API itself says `images`.
        images: { count: 0, last_tagged_uri: '' },
        volumes: { count: v.length, last_tagged_uri: v.at(-1) ? `/v2/volumes/${v.at(-1)?.id}` : '' },
        volume_snapshots: { count: 0, last_tagged_uri: '' },
        databases: { count: db.length, last_tagged_uri: db.at(-1) ? `/v2/databases/${db.at(-1)?.id}` : '' },
      },
    };
  });
}
