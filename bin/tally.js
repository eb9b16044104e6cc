#!/usr/bin/env node
// The `tally` command. Tally's TypeScript runs on Node 24's type stripping: no build step.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`Tally needs Node.js 22.12 or newer (this is ${process.version}). In a checkout, run it through npm (npm start, npx tally ...), which uses the pinned Node 24.`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
