/**
 * What the engine does with each kind of answer, in order: the first matching row decides.
 *   401            -> refresh the token once, then Reconnect needed
 *   403            -> skip the stream with the reason (the grant lacks a scope)
 *   404            -> skip the child (feature off / parent gone) where the stream allows it, else fail
 *   429            -> wait (Retry-After, or backoff when the provider sends no hint) and retry
 *   5xx, timeouts, dropped connections, truncated JSON -> retry with full-jitter backoff
 *   HTML where JSON was expected -> retry; when retries run out, fail with a clear message and record it
 *   other 4xx      -> fail
 */
export type Outcome =
  | { kind: 'json'; status: number; body: unknown; headers: Headers }
  | { kind: 'html'; status: number }
  | { kind: 'invalid_json'; status: number }
  | { kind: 'network'; message: string }
  | { kind: 'timeout' };

export type Action = 'ok' | 'refresh' | 'forbidden' | 'not_found' | 'rate_limited' | 'retry' | 'retry_html' | 'fail';

const status = (o: Outcome) => ('status' in o ? o.status : 0);

export const STATUS_ACTIONS: Array<{ when: (o: Outcome) => boolean; action: Action }> = [
  { when: (o) => o.kind === 'network' || o.kind === 'timeout', action: 'retry' },
  { when: (o) => o.kind === 'html', action: 'retry_html' },
  { when: (o) => status(o) === 401, action: 'refresh' },
  { when: (o) => status(o) === 403, action: 'forbidden' },
  { when: (o) => status(o) === 404, action: 'not_found' },
  { when: (o) => status(o) === 429, action: 'rate_limited' },
  { when: (o) => status(o) >= 500, action: 'retry' },
  { when: (o) => o.kind === 'invalid_json', action: 'retry' },
  { when: (o) => status(o) >= 200 && status(o) < 300, action: 'ok' },
  { when: () => true, action: 'fail' },
];

export function actionFor(outcome: Outcome): Action {
  return STATUS_ACTIONS.find((r) => r.when(outcome))!.action;
}
