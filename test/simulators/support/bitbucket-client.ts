import { afterAll, beforeAll } from 'vitest';
import type { RunningSimulators } from '../../../src/simulators/index.ts';
import { bearer, http, mintToken, startTestSimulators } from './sim.ts';

/**
 * Simulators started before a file's tests and closed after them, with a Bitbucket token and `get` for a
 * path under the Bitbucket API base (or an absolute URL, such as a `next` link), with that token or another.
 */
export function bitbucketForTests() {
  const state = {} as { sims: RunningSimulators; token: string };
  beforeAll(async () => {
    state.sims = await startTestSimulators();
    state.token = (await mintToken(state.sims, 'bitbucket')).access_token;
  });
  afterAll(() => state.sims.close());
  const get = (pathOrUrl: string, token = state.token) =>
    http<any>(pathOrUrl.startsWith('http') ? pathOrUrl : `${state.sims.info.bitbucket.apiBaseUrl}${pathOrUrl}`, { headers: bearer(token) });
  return { state, get };
}
