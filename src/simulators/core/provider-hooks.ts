import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counters } from './counters.ts';
import type { FaultRule, FaultRules } from './faults.ts';
import type { SimReply } from './reply.ts';
import type { ProviderSlug } from '../types.ts';

/** How a provider words the errors a fault rule makes it send. */
export interface ProviderErrorStyle {
  tooManyRequests(): SimReply;
  serverError(status: 500 | 502 | 503): SimReply;
  expiredToken(): SimReply;
}

export function sendSimReply(reply: FastifyReply, sim: SimReply): FastifyReply {
  reply.code(sim.status);
  for (const [name, value] of Object.entries(sim.headers ?? {})) reply.header(name, value);
  if (sim.contentType) reply.type(sim.contentType);
  if (sim.body === undefined) return reply.send();
  return reply.send(sim.body);
}

/** The credential a request presents, as counters show it: the bearer token or the Basic user. */
function presentedCredential(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const user = Buffer.from(value, 'base64').toString('utf8').split(':')[0];
    return `basic:${user}`;
  }
  return null;
}

// A bot-protection interstitial of the kind DigitalOcean's API once served instead of JSON.
const CHALLENGE_PAGE = `<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
</head><body><div class="main-wrapper" role="main"><div class="main-content">
<h1>Checking if the site connection is secure</h1>
<p>Enable JavaScript and cookies to continue</p>
</div></div></body></html>`;

const DEFAULT_SLOW_MS = 2_000;
const DEFAULT_HOLD_MS = 600_000;

function hold(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  reply.hijack();
  const socket = request.raw.socket;
  const timer = setTimeout(() => socket.destroy(), ms);
  socket.once('close', () => clearTimeout(timer));
}

const truncate = new WeakSet<FastifyRequest>();

/**
 * Counting and fault injection for every provider route (API and OAuth; not the login pages and not
 * `/_sim`). Faults act first, like an edge in front of the service: a faulted request spends no
 * rate-limit budget, but it is counted, because it was sent.
 */
export function installProviderHooks(
  app: FastifyInstance,
  counters: Counters,
  faults: FaultRules,
  styles: Record<ProviderSlug, ProviderErrorStyle>,
): void {
  app.addHook('onRequest', async (request, reply) => {
    const meta = request.routeOptions.config.sim;
    if (!meta || meta.kind === 'page') return;
    counters.countRequest(meta.provider, meta.label, presentedCredential(request), meta.deprecated);
    const path = request.url.split('?')[0]!.slice(`/${meta.provider}`.length);
    const template = meta.label.slice(meta.label.indexOf(' ') + 1);
    const rule = faults.pick(meta.provider, request.method, path, template);
    if (!rule) return;
    const answered = await applyFault(rule, styles[meta.provider], request, reply);
    // An async hook that has answered (or taken over the socket) must return the reply.
    if (answered) return reply;
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    if (!truncate.has(request) || typeof payload !== 'string') return payload;
    return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
  });

  app.addHook('onResponse', async (request, reply) => {
    const meta = request.routeOptions.config.sim;
    if (meta && meta.kind !== 'page') counters.countStatus(meta.provider, reply.statusCode);
  });
}

async function applyFault(
  rule: FaultRule,
  style: ProviderErrorStyle,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  switch (rule.kind) {
    case '429':
      sendSimReply(reply, style.tooManyRequests());
      return true;
    case '500':
    case '502':
    case '503':
      sendSimReply(reply, style.serverError(Number(rule.kind) as 500 | 502 | 503));
      return true;
    case 'expired_token':
      sendSimReply(reply, style.expiredToken());
      return true;
    case 'html_challenge':
      sendSimReply(reply, { status: rule.status ?? 403, body: CHALLENGE_PAGE, contentType: 'text/html; charset=UTF-8' });
      return true;
    case 'slow':
      await sleep(rule.delayMs ?? DEFAULT_SLOW_MS);
      return false;
    case 'timeout':
      hold(request, reply, rule.delayMs ?? DEFAULT_HOLD_MS);
      return true;
    case 'drop':
      reply.hijack();
      request.raw.socket.destroy();
      return true;
    case 'truncated_json':
      truncate.add(request);
      return false;
  }
}
