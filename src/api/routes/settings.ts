import { z } from 'zod';
import { Ok } from '../contracts/common.ts';
import { ProviderSlug } from '../contracts/connections.ts';
import { ProviderAppList, SaveProviderAppRequest } from '../contracts/settings.ts';
import type { AppContext } from '../../context.ts';
import { deleteProviderApp, listProviderApps, saveProviderApp } from '../../connections/provider-app-settings.ts';
import { requireUser, type TallyApp } from '../server.ts';

export function settingsRoutes(app: TallyApp, ctx: AppContext): void {
  const Params = z.object({ provider: ProviderSlug });

  app.get('/api/admin/provider-apps', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Provider OAuth apps and the redirect URIs to register', response: { 200: ProviderAppList } },
    handler: async () => ({ items: await listProviderApps(ctx) }),
  });

  app.put('/api/admin/provider-apps/:provider', {
    config: { access: 'instance_admin' },
    schema: { tags: ['settings'], summary: 'Save a provider OAuth app (the secret is stored encrypted)', params: Params, body: SaveProviderAppRequest, response: { 200: ProviderAppList } },
    handler: async (req) => {
      await saveProviderApp(ctx, req.params.provider, requireUser(req).id, req.body);
      return { items: await listProviderApps(ctx) };
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
}
