// The only doorway from the dashboard to the server's code: types of the HTTP contracts.
export type * from '../../../src/api/contracts/common.ts';
export type * from '../../../src/api/contracts/accounts.ts';
export type * from '../../../src/api/contracts/connections.ts';
export type * from '../../../src/api/contracts/settings.ts';
export type * from '../../../src/api/contracts/sync.ts';
