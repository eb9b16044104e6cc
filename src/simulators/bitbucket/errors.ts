import type { ProviderErrorStyle } from '../core/provider-hooks.ts';
import type { SimReply } from '../core/reply.ts';

/** Bitbucket Cloud's error body: `{ "type": "error", "error": { "message": ..., "detail": ... } }`. */
export function bbError(status: number, message: string, detail?: string, headers?: Record<string, string>): SimReply {
  return {
    status,
    body: { type: 'error', error: detail ? { message, detail } : { message } },
    ...(headers ? { headers } : {}),
  };
}

export const bitbucketErrorStyle: ProviderErrorStyle = {
  // OAuth callers get no rate-limit headers and no Retry-After.
  tooManyRequests: () => bbError(429, 'Rate limit for this resource has been exceeded'),
  serverError: (status) => bbError(status, status === 500 ? 'Something went wrong' : 'Service unavailable'),
  expiredToken: () => bbError(401, 'Access token expired.'),
};
