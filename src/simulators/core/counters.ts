import type { ProviderSlug } from '../types.ts';

type Tally = Record<string, number>;

export interface CounterSnapshot {
  total: number;
  byProvider: Record<ProviderSlug, number>;
  /** Keyed `<provider> <METHOD> <path template>`, e.g. `bitbucket GET /2.0/user`. */
  byRoute: Tally;
  /** Keyed `<provider> <credential>`: the bearer token, or the Basic user name. */
  byToken: Tally;
  byStatus: Tally;
  /** Token endpoint requests by `grant_type`, per provider. */
  byGrantType: Record<ProviderSlug, Tally>;
  refreshTokenGrants: Record<ProviderSlug, number>;
  /** Calls of operations the provider's document marks deprecated, by route. */
  deprecatedCalls: Tally;
  since: string;
}

function bump(tally: Tally, key: string): void {
  tally[key] = (tally[key] ?? 0) + 1;
}

/** Requests served, for tests and for benchmarks that count the requests a sync spends. */
export class Counters {
  #state: CounterSnapshot = Counters.#empty();

  static #empty(): CounterSnapshot {
    return {
      total: 0,
      byProvider: { digitalocean: 0, bitbucket: 0 },
      byRoute: {},
      byToken: {},
      byStatus: {},
      byGrantType: { digitalocean: {}, bitbucket: {} },
      refreshTokenGrants: { digitalocean: 0, bitbucket: 0 },
      deprecatedCalls: {},
      since: new Date().toISOString(),
    };
  }

  countRequest(provider: ProviderSlug, label: string, credential: string | null, deprecated: boolean): void {
    const s = this.#state;
    s.total++;
    s.byProvider[provider]++;
    bump(s.byRoute, `${provider} ${label}`);
    if (credential) bump(s.byToken, `${provider} ${credential}`);
    if (deprecated) bump(s.deprecatedCalls, `${provider} ${label}`);
  }

  countStatus(provider: ProviderSlug, status: number): void {
    bump(this.#state.byStatus, `${provider} ${status}`);
  }

  countGrant(provider: ProviderSlug, grantType: string): void {
    bump(this.#state.byGrantType[provider], grantType || '(missing)');
    if (grantType === 'refresh_token') this.#state.refreshTokenGrants[provider]++;
  }

  snapshot(): CounterSnapshot {
    return structuredClone(this.#state);
  }

  reset(): void {
    this.#state = Counters.#empty();
  }
}
