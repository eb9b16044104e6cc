import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { startTally } from '../main.ts';
import { rotateSecrets } from '../oauth/rotate.ts';

export function keysCommand(): Command {
  const keys = new Command('keys').description('manage the key that encrypts provider tokens at rest');
  keys
    .command('rotate')
    .description(
      're-encrypt every stored secret with TALLY_SECRET_KEY. Set the new key as TALLY_SECRET_KEY and the old one in TALLY_PREVIOUS_SECRET_KEYS on every process first; once this finished, the old key can go.',
    )
    .action(async () => {
      const config = loadConfig();
      const tally = await startTally(config, 'migrate', { log: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) });
      try {
        const { reencrypted, alreadyCurrent } = await rotateSecrets(tally.ctx.db, tally.ctx.vault);
        console.log(`Re-encrypted ${reencrypted} secret(s) with key ${tally.ctx.vault.currentKeyId}; ${alreadyCurrent} already used it.`);
        if (config.previousSecretKeys.length) console.log('You can now remove TALLY_PREVIOUS_SECRET_KEYS everywhere.');
      } finally {
        await tally.stop();
      }
    });
  return keys;
}
