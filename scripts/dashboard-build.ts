import fs from 'node:fs';
import path from 'node:path';

/** The newest modification time of any file under a directory. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}

/**
 * The dashboard's build (web/dist) is missing or older than its sources (web/index.html, web/src): `npm start`
 * builds it then. False where the sources are not there (nothing to build from). Paths are from the repository root.
 */
export function dashboardBuildStale(): boolean {
  if (!fs.existsSync('web/index.html')) return false;
  const built = 'web/dist/index.html';
  return !fs.existsSync(built) || fs.statSync(built).mtimeMs < Math.max(newest('web/src'), fs.statSync('web/index.html').mtimeMs);
}
