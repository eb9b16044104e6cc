import type { ProviderSlug } from '../../api/connections.ts';

// After consent the provider sends the browser to Tally's callback, which redirects back to the page
// Connect was clicked on with ?connection=<provider>&result=...&message=...&account=... .

export type CallbackOutcome = 'connected' | 'reconnected' | 'denied' | 'error' | 'account_mismatch';

export interface CallbackResult {
  provider: ProviderSlug;
  result: CallbackOutcome;
  /** The API's words for denied and error. */
  message: string | null;
  /** account_mismatch: the name of the account that is connected now. */
  account: string | null;
}

const PROVIDERS: readonly string[] = ['digitalocean', 'bitbucket'];
const OUTCOMES: readonly string[] = ['connected', 'reconnected', 'denied', 'error', 'account_mismatch'];
export const CALLBACK_PARAMS = ['connection', 'result', 'message', 'account'] as const;

/** Reads the callback's query parameters, or null when the URL carries none (or nonsense). */
export function readCallbackResult(search: string): CallbackResult | null {
  const params = new URLSearchParams(search);
  const provider = params.get('connection');
  const result = params.get('result');
  if (!provider || !result || !PROVIDERS.includes(provider) || !OUTCOMES.includes(result)) return null;
  return {
    provider: provider as ProviderSlug,
    result: result as CallbackOutcome,
    message: params.get('message') || null,
    account: params.get('account') || null,
  };
}

/** The same query without the callback's parameters, for replacing the URL once they were read. */
export function withoutCallbackParams(search: string): string {
  const params = new URLSearchParams(search);
  for (const name of CALLBACK_PARAMS) params.delete(name);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
