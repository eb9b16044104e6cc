import { backOff } from 'exponential-backoff';
import type { AppContext } from '../context.ts';
import { actionFor, type Outcome } from './actions.ts';
import { spendBudget, type BudgetRule } from './budget.ts';
import { ForbiddenError, HtmlInsteadOfJsonError, looksLikeHtml, NotFoundError, ProviderError, TokenRejectedError } from './errors.ts';
import { authorizationHeader, type ProviderAuth } from './request.ts';

/** Counters a sync run reports. */
export type RequestStats = { requests: number; retries: number; rateLimitWaits: number; rateLimitWaitMs: number };

export type ProviderClientOptions = {
  ctx: AppContext;
  connectionId: string;
  providerName: string;
  /** Current credentials (refreshed when due). */
  auth: () => Promise<ProviderAuth>;
  /** Called once when a token was refused: refresh it; false when the grant is dead. */
  onRejected: (auth: ProviderAuth) => Promise<boolean>;
  budget: (auth: ProviderAuth) => BudgetRule[];
  stats: RequestStats;
  /** Record a provider-health event (HTML challenge pages, exhausted budgets). */
  health: (kind: string, detail: string) => Promise<void>;
  timeoutMs?: number;
  /** Longest wait a Retry-After may impose; longer hints are cut to this (default 2 minutes). */
  maxRetryAfterMs?: number;
  maxAttempts?: number;
  /** Backoff start; tests shorten it. */
  startingDelayMs?: number;
  signal?: AbortSignal;
  /**
   * Called at least every few seconds while a request waits (for request budget or a Retry-After), so the
   * caller can show it is alive: a sync beats its run's heartbeat, or other processes would take a long
   * wait for a dead worker and sweep the run.
   */
  keepAlive?: () => Promise<void>;
};

class Retryable extends Error {
  readonly outcome: Outcome;
  constructor(outcome: Outcome) {
    super(outcome.kind);
    this.outcome = outcome;
  }
}

/**
 * GET a JSON page from a provider: budget first, bearer/basic auth from the vault, a timeout, and the
 * ordered status table (actions.ts). Retries use full-jitter exponential backoff; a Retry-After is obeyed.
 */
/** Waiting this long for budget within one run is worth telling the admin. */
const BUDGET_NOTICE_MS = 30_000;
/** Longest sleep between two keep-alive calls while a request waits. */
const KEEP_ALIVE_MS = 5_000;

export function providerClient(options: ProviderClientOptions) {
  const { ctx, stats } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** Sleeps `ms` in slices, calling keepAlive between them. */
  async function waitAlive(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= KEEP_ALIVE_MS) {
      await new Promise((r) => setTimeout(r, Math.min(left, KEEP_ALIVE_MS)));
      await options.keepAlive?.();
    }
  }

  /**
   * Takes budget for one request. spendBudget sleeps at most a few seconds per wait and reports each wait
   * synchronously: the keep-alive runs alongside and its failure (say the database is gone) is thrown here.
   */
  async function spendAlive(rules: BudgetRule[]) {
    let alive: Promise<void> = Promise.resolve();
    let failed: { error: unknown } | undefined;
    const onWait = () => {
      alive = alive.then(() => options.keepAlive?.()).catch((error: unknown) => {
        failed ??= { error };
      });
    };
    const grant = await spendBudget(ctx.db, rules, options.connectionId, { ...(options.keepAlive ? { onWait } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    await alive;
    if (failed) throw failed.error;
    return grant;
  }

  async function once(url: string, auth: ProviderAuth): Promise<Outcome> {
    const rules = options.budget(auth);
    const { waits, waitedMs } = await spendAlive(rules);
    const before = stats.rateLimitWaitMs;
    stats.rateLimitWaits += waits;
    stats.rateLimitWaitMs += waitedMs;
    // Say once per run that the sync is being held back by the request budget (shown on Sync health).
    if (before < BUDGET_NOTICE_MS && stats.rateLimitWaitMs >= BUDGET_NOTICE_MS) {
      const limits = rules.map((r) => `${r.limit} per ${r.windowMs >= 3_600_000 ? 'hour' : `${r.windowMs / 60_000} min`}${r.shared ? ' shared by every connection of this OAuth app' : ''}`).join(', ');
      await options.health('budget_exhausted', `The sync waits for request budget (${options.providerName} allows ${limits}); it goes on as budget frees up.`);
    }
    stats.requests++;
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: authorizationHeader(auth), accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      return (error as Error).name === 'TimeoutError' ? { kind: 'timeout' } : { kind: 'network', message: (error as Error).message };
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      return { kind: 'network', message: (error as Error).message };
    }
    if (looksLikeHtml(res.headers.get('content-type') ?? '', text)) return { kind: 'html', status: res.status };
    try {
      return { kind: 'json', status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    } catch {
      return { kind: 'invalid_json', status: res.status };
    }
  }

  async function getJson(url: string): Promise<unknown> {
    let refreshed = false;
    let lastHtml = false;
    const attempt = async (): Promise<unknown> => {
      const auth = await options.auth();
      const outcome = await once(url, auth);
      lastHtml = outcome.kind === 'html';
      const path = new URL(url).pathname;
      switch (actionFor(outcome)) {
        case 'ok':
          return (outcome as { body: unknown }).body;
        case 'refresh':
          if (!refreshed && (await options.onRejected(auth))) {
            refreshed = true;
            throw new Retryable(outcome);
          }
          throw new TokenRejectedError(`${options.providerName} refused the credentials for ${path} (401) even after a refresh: reconnect the app`, { status: 401 });
        case 'forbidden':
          throw new ForbiddenError(`${options.providerName} refused ${path} (403): the grant lacks the permission or scope for it`, { status: 403 });
        case 'not_found':
          throw new NotFoundError(`${options.providerName} has no ${path} (404)`, { status: 404 });
        case 'rate_limited': {
          const headers = (outcome as { headers?: Headers }).headers;
          const after = Number(headers?.get('retry-after'));
          if (Number.isFinite(after) && after > 0) {
            const ms = Math.min(after * 1000, options.maxRetryAfterMs ?? 120_000);
            stats.rateLimitWaits++;
            stats.rateLimitWaitMs += ms;
            await waitAlive(ms);
          }
          throw new Retryable(outcome);
        }
        case 'retry':
        case 'retry_html':
          throw new Retryable(outcome);
        case 'fail': {
          const status = 'status' in outcome ? outcome.status : 0;
          throw new ProviderError(`${options.providerName} answered ${status} for ${path}`, { status });
        }
      }
    };
    try {
      return await backOff(attempt, {
        numOfAttempts: options.maxAttempts ?? 6,
        startingDelay: options.startingDelayMs ?? 500,
        timeMultiple: 2,
        maxDelay: 30_000,
        jitter: 'full',
        retry: (error: unknown) => {
          if (!(error instanceof Retryable)) return false;
          stats.retries++;
          return !options.signal?.aborted;
        },
      });
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      const path = new URL(url).pathname;
      if (lastHtml) {
        const message = `${options.providerName} returned an HTML page instead of JSON for ${path} (bot protection?)`;
        await options.health('html_challenge', message);
        throw new HtmlInsteadOfJsonError(message, { retryable: true });
      }
      const o = error.outcome;
      const what =
        o.kind === 'json' ? `status ${o.status}`
        : o.kind === 'invalid_json' ? 'a truncated or invalid JSON body'
        : o.kind === 'timeout' ? 'no answer in time'
        : o.kind === 'network' ? `a network error (${o.message})`
        : 'an HTML page';
      if (o.kind === 'json' && o.status === 429) await options.health('rate_limited', `${options.providerName} kept answering 429 for ${path}`);
      throw new ProviderError(`${options.providerName} kept failing for ${path}: ${what}`, { retryable: true });
    }
  }

  return { getJson };
}
