import { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { rotateSecrets } from '../oauth/rotate.ts';
import { withDatabase } from './database.ts';

export function keysCommand(): Command {
  const keys = new Command('keys').description('manage the key that encrypts provider tokens at rest');
  keys
    .command('rotate')
    .description(
      're-encrypt every stored secret with TALLY_SECRET_KEY. Set the new key as TALLY_SECRET_KEY and the old one in TALLY_PREVIOUS_SECRET_KEYS on every process first; once this finished, the old key can go.',
    )
    .action(async () => {
      await withDatabase(async ({ ctx }) => {
        const { reencrypted, alreadyCurrent } = await rotateSecrets(ctx.db, ctx.vault);
        console.log(`Re-encrypted ${reencrypted} secret(s) with key ${ctx.vault.currentKeyId}; ${alreadyCurrent} already used it.`);
      });
      if (loadConfig().previousSecretKeys.length) console.log('You can now remove TALLY_PREVIOUS_SECRET_KEYS everywhere.');
    });
  return keys;
}
