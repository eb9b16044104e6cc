// Typed calls for sync runs and health: the Sync health page and every "Sync now" button.
// Types come straight from the sync contract (type-only imports: no server code reaches the bundle).
import type { z } from 'zod';
import type {
  ConnectionSyncHealth as ConnectionSyncHealthSchema,
  ProviderHealthEvent as ProviderHealthEventSchema,
  QuarantinedRecord as QuarantinedRecordSchema,
  SyncHealth,
  SyncNowAccepted,
  SyncNowRequest,
  SyncRun,
  SyncRunList,
} from '../../../src/api/contracts/sync.ts';
import { http } from './http.ts';

export type { SyncHealth, SyncRun };
export type ConnectionSyncHealth = z.infer<typeof ConnectionSyncHealthSchema>;
export type ProviderHealthEvent = z.infer<typeof ProviderHealthEventSchema>;
export type QuarantinedRecord = z.infer<typeof QuarantinedRecordSchema>;
export type SyncRunPage = z.infer<typeof SyncRunList>;
export type SyncNowInput = z.input<typeof SyncNowRequest>;
export type SyncNowResult = z.infer<typeof SyncNowAccepted>;

const org = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}`;

export const syncApi = {
  health: (orgId: string) => http.get<SyncHealth>(`${org(orgId)}/sync/health`),
  runs: (orgId: string, options: { connectionId?: string; limit?: number; before?: string } = {}) => {
    const params = new URLSearchParams();
    if (options.connectionId) params.set('connectionId', options.connectionId);
    if (options.limit) params.set('limit', String(options.limit));
    if (options.before) params.set('before', options.before);
    const query = params.toString();
    return http.get<SyncRunPage>(`${org(orgId)}/sync/runs${query ? `?${query}` : ''}`);
  },
  syncNow: (orgId: string, connectionId: string, input: SyncNowInput = {}) =>
    http.post<SyncNowResult>(`${org(orgId)}/connections/${encodeURIComponent(connectionId)}/sync`, input),
};
