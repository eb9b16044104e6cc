/**
 * `npm start`: builds the dashboard when its build is missing or older than its sources, then runs
 * `tally serve` (embedded PostgreSQL unless DATABASE_URL is set; simulators unless real providers are configured).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}

const built = 'web/dist/index.html';
if (fs.existsSync('web/index.html')) {
  const sources = Math.max(newest('web/src'), fs.statSync('web/index.html').mtimeMs);
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
    console.log('Building the dashboard...');
    const res = spawnSync('npm', ['run', '-s', 'build:web'], { stdio: 'inherit' });
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
}

const { main } = await import('../src/cli/main.ts');
await main([process.argv[0]!, 'tally', 'serve', ...process.argv.slice(2)]);
