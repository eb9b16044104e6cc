// Typed calls for what an admin enters about each connected app (plan, price per seat, seat count,
// renewal, contract value, inactivity threshold): src/api/contracts/analytics.ts, "settings".
import type { z } from 'zod';
import type { AppSettings, UpdateAppSettingsRequest } from '../../../src/api/contracts/analytics.ts';
import { http } from './http.ts';

export type { AppSettings };
export type AppSettingsInput = z.input<typeof UpdateAppSettingsRequest>;

const url = (orgId: string, appId: string) => `/api/orgs/${encodeURIComponent(orgId)}/analytics/apps/${encodeURIComponent(appId)}/settings`;

export const appSettingsApi = {
  get: (orgId: string, appId: string) => http.get<AppSettings>(url(orgId, appId)),
  save: (orgId: string, appId: string, input: AppSettingsInput) => http.request<AppSettings>('PUT', url(orgId, appId), input),
};
