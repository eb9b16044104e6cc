import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEY = /(pass(word)?|secret|token|authorization|cookie|api[-_]?key|private[-_]?key|^code$|code_verifier|credential)/i;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  // Class instances (errors, requests) are left to their serializers; only plain data is walked.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null ? '[redacted]' : redactSecrets(v, depth + 1);
  }
  return out;
}

/** JSON logs (pino). Secrets are removed by key name before a line is written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      formatters: { log: (obj) => redactSecrets(obj) as Record<string, unknown> },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: redactUrl(req.url ?? ''),
          id: req.id,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}

/** Query strings may carry OAuth codes and states, and invitation paths carry their token. */
export function redactUrl(url: string): string {
  const [p = '', q] = url.split('?', 2);
  const redactedPath = p.replace(/\/(invitations|invite|connect-invitations|connect-invite)\/[^/]+/, '/$1/[redacted]');
  if (!q) return redactedPath;
  const params = new URLSearchParams(q);
  for (const key of [...params.keys()]) if (SECRET_KEY.test(key) || key === 'state') params.set(key, '[redacted]');
  return `${redactedPath}?${params.toString()}`;
}
