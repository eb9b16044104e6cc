import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';

/** Debian packages the tests need, and how to tell each is there. */
export const SYSTEM_PACKAGES = {
  chromium: () => existsSync('/usr/bin/chromium'),
  postgresql: () => postgresBinDir() !== undefined,
} as const;

export function postgresBinDir(): string | undefined {
  if (!existsSync('/usr/lib/postgresql')) return undefined;
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? `/usr/lib/postgresql/${newest}/bin` : undefined;
}

/**
 * Installs what the machine lacks with apt when we are root on Debian; otherwise stops at once and says
 * exactly what to run.
 */
export function ensureSystemPackages(names: Array<keyof typeof SYSTEM_PACKAGES>): void {
  const missing = names.filter((n) => !SYSTEM_PACKAGES[n]());
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const canInstall = os.userInfo().uid === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canInstall) {
    console.error(`The tests need Debian packages that are not installed: ${missing.join(', ')}.\nRun as root:\n  ${command}\nthen run npm test again.`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt (needed by the tests)...`);
  execFileSync('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const still = missing.filter((n) => !SYSTEM_PACKAGES[n]());
  if (still.length) {
    console.error(`apt finished but ${still.join(', ')} is still missing; install it by hand: ${command}`);
    process.exit(1);
  }
}
