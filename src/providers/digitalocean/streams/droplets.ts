import { defineStream } from '../../../sync/types.ts';
import { Droplet } from '../schemas.ts';
import { pages, utcDay } from './paging.ts';

export const droplets = defineStream({
  name: 'droplets',
  provider: 'digitalocean',
  path: '/v2/droplets',
  pagination: pages('droplets'),
  schema: Droplet,
  id: (d) => String(d.id),
  // Resource-level activity: DigitalOcean has no members API, so the droplet is the "account".
  activity: (d) => [{ accountId: String(d.id), day: utcDay(d.created_at), feature: 'droplet.created', count: 1 }],
});
