import { describe, expect, it } from 'vitest';
import { readCallbackResult, withoutCallbackParams } from './callbackResult.ts';

describe('the callback result in the URL', () => {
  it('reads a successful connect', () => {
    expect(readCallbackResult('?connection=digitalocean&result=connected')).toEqual({
      provider: 'digitalocean',
      result: 'connected',
      message: null,
      account: null,
    });
  });

  it('keeps the message of a denied consent and the account of a mismatch', () => {
    expect(readCallbackResult('?connection=bitbucket&result=denied&message=You+declined')?.message).toBe('You declined');
    expect(readCallbackResult('connection=bitbucket&result=account_mismatch&account=Ada%20L')?.account).toBe('Ada L');
  });

  it('ignores URLs without a result, or with an unknown provider or result', () => {
    expect(readCallbackResult('')).toBeNull();
    expect(readCallbackResult('?connection=github&result=connected')).toBeNull();
    expect(readCallbackResult('?connection=bitbucket&result=maybe')).toBeNull();
  });

  it('removes only its own parameters from the URL', () => {
    expect(withoutCallbackParams('?connection=bitbucket&result=error&message=x&tab=a')).toBe('?tab=a');
    expect(withoutCallbackParams('?connection=bitbucket&result=connected')).toBe('');
  });
});
