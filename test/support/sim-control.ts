import type { AppContext } from '../../src/context.ts';

/**
 * The control API of a test Tally's in-process simulators (`/_sim/...`, docs/simulators.md): a GET without a
 * body, a POST with one (or the method given); a refused call throws with the simulator's answer.
 */
export function simControl(ctx: Pick<AppContext, 'simulated'>) {
  const base = ctx.simulated.digitalocean!.endpoints.apiBaseUrl.replace(/\/digitalocean$/, '');
  return async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<any> => {
    const res = await fetch(`${base}/_sim${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
}
