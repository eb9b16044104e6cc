import { z } from 'zod';
import { Ok } from '../contracts/common.ts';
import { ProviderSlug } from '../contracts/connections.ts';
import { NotificationSettings, NotificationTestResult, ProviderAppList, SaveProviderAppRequest } from '../contracts/settings.ts';
import type { AppContext } from '../../context.ts';
import { deleteProviderApp, listProviderApps, saveProviderApp } from '../../connections/provider-app-settings.ts';
import { notificationSettings, sendTestEmail, sendTestWebhook } from '../../notify/settings.ts';
import { requireUser, type TallyApp } from '../server.ts';

export function settingsRoutes(app: TallyApp, ctx: AppContext): void {
  const Params = z.object({ provider: ProviderSlug });

  app.get('/api/admin/provider-apps', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Provider OAuth apps and the redirect URIs to register', response: { 200: ProviderAppList } },
    handler: async () => ({ items: await listProviderApps(ctx), simulators: ctx.config.simulators }),
  });

  app.put('/api/admin/provider-apps/:provider', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Save a provider OAuth app (the secret is stored encrypted)', params: Params, body: SaveProviderAppRequest, response: { 200: ProviderAppList } },
    handler: async (req) => {
      await saveProviderApp(ctx, req.params.provider, requireUser(req).id, req.body);
      return { items: await listProviderApps(ctx), simulators: ctx.config.simulators };
    },
  });

  app.delete('/api/admin/provider-apps/:provider', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Remove a provider OAuth app saved in settings', params: Params, response: { 200: Ok } },
    handler: async (req) => {
      await deleteProviderApp(ctx, req.params.provider, requireUser(req).id);
      return { ok: true as const };
    },
  });

  app.get('/api/admin/notifications', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Whether SMTP and the webhook are configured (from the environment; no passwords)', response: { 200: NotificationSettings } },
    handler: async () => notificationSettings(ctx.config),
  });

  app.post('/api/admin/notifications/test-email', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Send a test email to the calling admin', response: { 200: NotificationTestResult } },
    handler: async (req) => sendTestEmail(ctx, requireUser(req).id),
  });

  app.post('/api/admin/notifications/test-webhook', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'POST a test event to the webhook', response: { 200: NotificationTestResult } },
    handler: async (req) => sendTestWebhook(ctx, requireUser(req).id),
  });
}
