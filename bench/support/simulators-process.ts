/**
 * The provider simulators in a process of their own, so a benchmark's memory and CPU figures are Tally's
 * alone. Options come as JSON in argv[2]; prints `{"baseUrl": ...}` once listening; stops on SIGTERM.
 */
import { startSimulators, type SimulatorOptions } from '../../src/simulators/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sims = await startSimulators({ port: 0, logger: false, ...options });
console.log(JSON.stringify({ baseUrl: sims.baseUrl, info: sims.info }));
const stop = () => void sims.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
