// Typed calls for Tally's instance settings (Tally's administrators only): the OAuth apps Tally signs in
// with at each provider, and how notifications go out (SMTP, webhook).
import type { z } from 'zod';
import type {
  NotificationSettings as NotificationSettingsSchema,
  NotificationTestResult as NotificationTestResultSchema,
  ProviderApp as ProviderAppSchema,
  ProviderAppList as ProviderAppListSchema,
  ProviderUrl as ProviderUrlSchema,
  SaveProviderAppRequest,
} from './contracts.ts';
import type { ProviderSlug } from './connections.ts';
import { http } from './http.ts';

export type ProviderApp = z.infer<typeof ProviderAppSchema>;
export type ProviderAppList = z.infer<typeof ProviderAppListSchema>;
export type ProviderUrl = z.infer<typeof ProviderUrlSchema>;
export type SaveProviderAppInput = z.input<typeof SaveProviderAppRequest>;
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;
export type NotificationTestResult = z.infer<typeof NotificationTestResultSchema>;

export const settingsApi = {
  providerApps: () => http.get<ProviderAppList>('/api/admin/provider-apps'),
  saveProviderApp: (provider: ProviderSlug, input: SaveProviderAppInput) =>
    http.request<ProviderAppList>('PUT', `/api/admin/provider-apps/${provider}`, input),
  removeProviderApp: (provider: ProviderSlug) => http.delete<{ ok: true }>(`/api/admin/provider-apps/${provider}`),

  notifications: () => http.get<NotificationSettings>('/api/admin/notifications'),
  testEmail: () => http.post<NotificationTestResult>('/api/admin/notifications/test-email'),
  testWebhook: () => http.post<NotificationTestResult>('/api/admin/notifications/test-webhook'),
};
