import { z } from 'zod';
import { ProviderSlug } from './connections.ts';

export const ProviderApp = z.object({
  provider: ProviderSlug,
  name: z.string(),
  /** The exact URI to register as the OAuth app's callback at the provider. */
  redirectUri: z.string(),
  /** Where the app in use comes from; null when none is configured (then only personal tokens connect). */
  source: z.enum(['environment', 'settings', 'simulator']).nullable(),
  clientId: z.string().nullable(),
  simulated: z.boolean(),
  /** Where at the provider an admin registers the app. */
  registerHelp: z.string(),
});
// GET /api/admin/provider-apps (instance admin)
export const ProviderAppList = z.object({ items: z.array(ProviderApp) });
// PUT /api/admin/provider-apps/:provider (instance admin); the secret is stored encrypted and never returned
export const SaveProviderAppRequest = z.object({
  clientId: z.string().trim().min(1, 'Enter the client id (key).').max(300),
  clientSecret: z.string().trim().min(1, 'Enter the client secret.').max(500),
});
// DELETE /api/admin/provider-apps/:provider (instance admin)
