import { defineStream } from '../../../sync/types.ts';
import { Account } from '../schemas.ts';

/** Whose token this is and which team it reads; DigitalOcean has no API that lists team members. */
export const account = defineStream({
  name: 'account',
  provider: 'digitalocean',
  path: '/v2/account',
  pagination: { kind: 'single', recordsKey: 'account' },
  schema: Account,
  id: (a) => a.uuid,
});
