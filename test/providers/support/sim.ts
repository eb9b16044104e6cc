/** Simulators for provider stream tests: seed 1, the small preset, a fixed epoch and a frozen clock. */
import { startSimulators } from '../../../src/simulators/index.ts';
import type { CounterSnapshot, RunningSimulators, SimulatorTruth } from '../../../src/simulators/index.ts';
import type { ProviderSlug } from '../../../src/simulators/types.ts';

export const EPOCH = '2026-06-15T00:00:00Z';

export function startStreamSimulators(): Promise<RunningSimulators> {
  return startSimulators({ port: 0, preset: 'small', seed: 1, epoch: EPOCH, freezeTime: true });
}

export async function control<T>(sims: RunningSimulators, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sims.baseUrl}/_sim${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} /_sim${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** An all-scopes OAuth access token of the seeded administrator. */
export async function mintToken(sims: RunningSimulators, provider: ProviderSlug): Promise<string> {
  return (await control<{ access_token: string }>(sims, 'POST', `/${provider}/tokens`, {})).access_token;
}

export const truthOf = (sims: RunningSimulators) => control<SimulatorTruth>(sims, 'GET', '/truth');
export const countersOf = (sims: RunningSimulators) => control<CounterSnapshot>(sims, 'GET', '/counters');
export const simulatedNow = async (sims: RunningSimulators) => new Date((await control<{ now: string }>(sims, 'GET', '/time')).now);

/** Exact sums of money strings ("12.34", "-5.00") in cents, never through floats. */
export function cents(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) throw new Error(`not a money amount: ${amount}`);
  const value = BigInt(m[2] as string) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -value : value;
}
