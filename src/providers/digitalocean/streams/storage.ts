import { defineStream } from '../../../sync/types.ts';
import { Snapshot, Volume } from '../schemas.ts';
import { pages } from './paging.ts';

/** Block storage volumes; `droplet_ids` is empty for a volume attached to nothing (billed all the same). */
export const volumes = defineStream({
  name: 'volumes',
  provider: 'digitalocean',
  path: '/v2/volumes',
  pagination: pages('volumes'),
  schema: Volume,
  id: (v) => v.id,
});

/** Droplet and volume snapshots (one list; `resource_type` tells them apart). */
export const snapshots = defineStream({
  name: 'snapshots',
  provider: 'digitalocean',
  path: '/v2/snapshots',
  pagination: pages('snapshots'),
  schema: Snapshot,
  id: (s) => s.id,
});
