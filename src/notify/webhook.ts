import type { Delivery } from './mailer.ts';

/**
 * POSTs an event to the webhook URL (TALLY_WEBHOOK_URL) as JSON, with the time added. Never throws: the
 * caller reports the outcome. The URL is not logged or returned, since its path is often the secret.
 */
export async function postWebhook(webhookUrl: string | undefined, body: { event: string } & Record<string, unknown>): Promise<Delivery> {
  if (!webhookUrl) return { ok: false, reason: 'No webhook is configured: set TALLY_WEBHOOK_URL.' };
  try {
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, at: new Date().toISOString() }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    return res.ok ? { ok: true } : { ok: false, reason: `The webhook answered HTTP ${res.status}.` };
  } catch (error) {
    // fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, a timeout) in its cause.
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: `The webhook could not be reached (${cause ?? (error as Error).message}).` };
  }
}
