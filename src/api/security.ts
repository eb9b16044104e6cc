import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_IDLE_MS } from '../accounts/sessions.ts';
import type { Config } from '../config.ts';
import { TallyError } from '../errors.ts';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './contracts/common.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF by double submit: a readable random cookie the dashboard echoes in a header. Another site can make
 * the browser send the cookie but cannot read it to set the header. Every state-changing request is checked.
 */
export function ensureCsrfCookie(req: FastifyRequest, reply: FastifyReply, config: Config): string {
  const existing = req.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.setCookie(CSRF_COOKIE, token, { path: '/', sameSite: 'lax', secure: config.secureCookies, httpOnly: false });
  return token;
}

export function checkCsrf(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const cookie = req.cookies[CSRF_COOKIE];
  const header = req.headers[CSRF_HEADER];
  const ok =
    typeof cookie === 'string' &&
    typeof header === 'string' &&
    cookie.length === header.length &&
    cookie.length > 0 &&
    timingSafeEqual(Buffer.from(cookie), Buffer.from(header));
  if (!ok) {
    throw new TallyError('csrf_failed', `This request lacks its CSRF token: send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header (reload the page if you use the dashboard).`);
  }
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: SESSION_IDLE_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
}
