import { startSimulators } from './index.ts';
import type { RunningSimulators } from './index.ts';
import type { Preset } from './types.ts';

/**
 * `tally simulators [--port N] [--preset small|large] [--seed S]`: start both simulators and print
 * where they are. They run until the caller closes them (the CLI does on SIGINT and SIGTERM).
 */
export async function runSimulatorsCommand(args: { port: number; preset: Preset; seed: number }): Promise<RunningSimulators> {
  const started = Date.now();
  const sims = await startSimulators({ port: args.port, host: '127.0.0.1', preset: args.preset, seed: args.seed });
  const { digitalocean: d, bitbucket: b } = sims.info;
  const lines = [
    `Simulated providers (preset ${args.preset}, seed ${args.seed}) ready in ${Date.now() - started} ms at ${sims.baseUrl}`,
    '',
    'DigitalOcean',
    `  authorize  ${d.authorizeUrl}`,
    `  token      ${d.tokenUrl}`,
    `  revoke     ${d.revokeUrl}`,
    `  API base   ${d.apiBaseUrl}`,
    'Bitbucket Cloud',
    `  authorize  ${b.authorizeUrl}`,
    `  token      ${b.tokenUrl}`,
    `  API base   ${b.apiBaseUrl}`,
    '',
    `Control API  ${sims.baseUrl}/_sim/info (see docs/simulators.md)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return sims;
}
