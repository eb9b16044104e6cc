import { simulatorInfo } from './control/context.ts';
import { simulatorOptionsSchema } from './options.ts';
import type { SimulatorOptions } from './options.ts';
import { buildSimulatorServer } from './server.ts';
import type { SimulatorInfo } from './types.ts';

/**
 * Local simulators of DigitalOcean and Bitbucket Cloud: their OAuth servers and APIs on one port,
 * under `/digitalocean` and `/bitbucket`, plus a control API under `/_sim` (docs/simulators.md).
 */

export type { Preset, ProviderSlug, SimulatorClient, SimulatorInfo } from './types.ts';
export type { SimulatorOptions } from './options.ts';
export type { SimulatorTruth } from './truth.ts';
export type { AdvanceSummary } from './control/advance.ts';
export type { FaultKind, FaultRuleInput } from './core/faults.ts';
export type { CounterSnapshot } from './core/counters.ts';
export { simulatorTruth } from './truth.ts';
export { deprecatedOperations } from './specs.ts';

export interface RunningSimulators {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  info: SimulatorInfo;
  close(): Promise<void>;
}

export async function startSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators> {
  const resolved = simulatorOptionsSchema.parse(options);
  const { app, control } = await buildSimulatorServer(resolved);
  await app.listen({ port: resolved.port, host: resolved.host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the simulators are not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;
  return {
    baseUrl,
    info: simulatorInfo(baseUrl, control),
    close: () => app.close(),
  };
}
