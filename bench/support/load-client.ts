/**
 * autocannon in a process of its own, so the load it makes costs the server process nothing. Options come
 * as JSON in argv[2] (`url`, `connections`, `duration`, `paths`, `headers`); prints autocannon's result as
 * JSON on stdout when done, with the CPU seconds this process used while loading (`clientCpuSeconds`).
 */
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}') as { url: string; connections: number; duration: number; paths: string[]; headers: Record<string, string> };
const start = process.cpuUsage();
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.duration,
  headers: options.headers,
  // Each connection walks the endpoints in turn, so every endpoint is under load all the time.
  requests: options.paths.map((path) => ({ method: 'GET' as const, path })),
});
const cpu = process.cpuUsage(start);
process.stdout.write(JSON.stringify({ ...result, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 }) + '\n');
