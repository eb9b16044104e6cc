/**
 * `npm start`: builds the dashboard when its build is missing or older than its sources, then runs
 * `tally serve` (embedded PostgreSQL unless DATABASE_URL is set; simulators unless real providers are configured).
 */
import { spawnSync } from 'node:child_process';
import { dashboardBuildStale } from './dashboard-build.ts';

if (dashboardBuildStale()) {
  console.log('Building the dashboard...');
  const res = spawnSync('npm', ['run', '-s', 'build:web'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const { main } = await import('../src/cli/main.ts');
await main([process.argv[0]!, 'tally', 'serve', ...process.argv.slice(2)]);
