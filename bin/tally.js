#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
// The `tally` command.
// Heap flags (also in package.json's start, tally and bench scripts): V8 sizes its heap for the machine's
// memory, and on a sync's steady stream of short-lived pages let it grow to 4x the ~50 MB that stays live
// (peak RSS 528 MB on a 1.3M-record sync). A smaller young generation and an old generation collected at
// 1.5x its live size keep a syncing process near 210 MB at the same throughput. Neither flag is a limit:
// a process that needs more memory still gets it.
// Tally's TypeScript runs on Node 24's type stripping: no build step.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`Tally needs Node.js 22.12 or newer (this is ${process.version}). In a checkout, run it through npm (npm start, npx tally ...), which uses the pinned Node 24.`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
