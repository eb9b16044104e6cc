import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../src/simulators/index.ts';
import type { ServedRoute } from '../../src/simulators/core/routes.ts';
import { deprecatedOperations, findOperation } from '../../src/simulators/specs.ts';
import type { ProviderSlug } from '../../src/simulators/types.ts';
import { ResponseValidator } from './support/openapi-validator.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

/**
 * Every API route the simulators register is called with real parameters from the seeded data
 * (the examples each route offers: pages, filters, unknown ids, bad input) and every answer,
 * success or error, is validated against the provider's own OpenAPI document.
 */

let sims: RunningSimulators;
let routes: ServedRoute[];

beforeAll(async () => {
  sims = await startTestSimulators();
  routes = await control<ServedRoute[]>(sims, 'GET', '/routes');
});
afterAll(() => sims.close());

const apiBase = (provider: ProviderSlug) => sims.info[provider].apiBaseUrl;
const errorSchema: Record<ProviderSlug, string> = { digitalocean: 'error', bitbucket: 'error' };
// The paths the issue asks each simulator to serve.
const REQUIRED: Record<ProviderSlug, string[]> = {
  digitalocean: [
    '/v2/account', '/v2/droplets', '/v2/volumes', '/v2/snapshots', '/v2/databases', '/v2/apps', '/v2/kubernetes/clusters', '/v2/load_balancers',
    '/v2/firewalls', '/v2/projects', '/v2/projects/{project_id}/resources', '/v2/monitoring/metrics/droplet/cpu', '/v2/monitoring/metrics/droplet/bandwidth',
    '/v2/monitoring/metrics/droplet/memory_free', '/v2/customers/my/balance', '/v2/customers/my/billing_history', '/v2/customers/my/invoices',
    '/v2/customers/my/invoices/{invoice_uuid}', '/v2/customers/my/invoices/{invoice_uuid}/summary', '/v2/customers/my/invoices/{invoice_uuid}/csv',
    '/v2/billing/{account_urn}/insights/{start_date}/{end_date}',
  ],
  bitbucket: [
    '/user', '/user/workspaces', '/workspaces', '/repositories', '/workspaces/{workspace}/members', '/workspaces/{workspace}/permissions',
    '/workspaces/{workspace}/projects', '/repositories/{workspace}', '/repositories/{workspace}/{repo_slug}/commits',
    '/repositories/{workspace}/{repo_slug}/pullrequests', '/repositories/{workspace}/{repo_slug}/pullrequests/activity',
    '/repositories/{workspace}/{repo_slug}/pipelines', '/repositories/{workspace}/{repo_slug}/deployments',
    '/repositories/{workspace}/{repo_slug}/environments', '/repositories/{workspace}/{repo_slug}/issues',
  ],
};

describe.each(['digitalocean', 'bitbucket'] as const)('%s', (provider) => {
  const served = () => routes.filter((r) => r.provider === provider && r.kind === 'api');

  it('serves every path the issue lists, each one an operation of the document', () => {
    const paths = served().map((r) => r.documentPath);
    for (const required of REQUIRED[provider]) expect(paths).toContain(required);
    for (const route of served()) {
      expect(findOperation(provider, route.method, route.documentPath as string), `${route.label} is documented`).not.toBeNull();
      expect(route.examples.length, `${route.label} has example calls`).toBeGreaterThan(0);
    }
  });

  it('answers every example call of every route as the document describes', async () => {
    const validator = new ResponseValidator(provider);
    const token = await mintToken(sims, provider, provider === 'digitalocean' ? { scopes: ['read'] } : {});
    const problems: string[] = [];
    const successes = new Set<string>();
    let validated = 0;
    for (const route of served()) {
      for (const example of route.examples) {
        const res = await http(`${apiBase(provider)}${example}`, { headers: bearer(token.access_token) });
        const contentType = res.headers.get('content-type') ?? '';
        const where = `${route.label} <- ${example} (${res.status})`;
        if (res.status < 300) successes.add(route.label);
        const result = validator.check(route.method, route.documentPath as string, res.status, contentType, res.body);
        if (result.documented === null) {
          // A status the operation does not list still carries the provider's error body.
          if (res.status < 400) problems.push(`${where}: status not documented`);
          else problems.push(...validator.checkComponent(errorSchema[provider], res.body).map((e) => `${where}: ${e}`));
        } else if (result.schema) validated++;
        else if (contentType.startsWith('application/json') && res.status < 300) expect(() => JSON.parse(res.text), where).not.toThrow();
        problems.push(...result.errors.map((e) => `${where}: ${e}`));
        if (res.status < 300) {
          for (const header of validator.documentedHeaders(route.method, route.documentPath as string, res.status))
            if (header !== 'content-type' && !res.headers.has(header)) problems.push(`${where}: documented header ${header} missing`);
        }
        expect(res.headers.has('x-simulator-deprecated-operation'), `${where} deprecation marker`).toBe(route.deprecated);
      }
    }
    expect(problems).toEqual([]);
    expect([...successes].sort()).toEqual(served().map((r) => r.label).sort());
    expect(validated).toBeGreaterThan(served().length);
  });

  it('answers every route without credentials with a documented 401 body', async () => {
    const validator = new ResponseValidator(provider);
    const problems: string[] = [];
    for (const route of served()) {
      const res = await http(`${apiBase(provider)}${route.examples[0]}`);
      expect(res.status, route.label).toBe(401);
      const result = validator.check(route.method, route.documentPath as string, 401, res.headers.get('content-type') ?? '', res.body);
      const errors = result.schema ? result.errors : validator.checkComponent(errorSchema[provider], res.body);
      problems.push(...errors.map((e) => `${route.label}: ${e}`));
    }
    expect(problems).toEqual([]);
  });

  it('answers missing scopes and every JSON fault with bodies the document accepts', async () => {
    const validator = new ResponseValidator(provider);
    // A token whose scope covers almost nothing, so most routes answer 403.
    const narrow = await mintToken(sims, provider, provider === 'digitalocean' ? { kind: 'personal_access_token', scopes: ['tag:read'] } : { scopes: ['email'] });
    const full = await mintToken(sims, provider, provider === 'digitalocean' ? { scopes: ['read'] } : {});
    const problems: string[] = [];
    const statuses = new Set<number>();
    const checkAll = async (token: string, why: string) => {
      for (const route of served()) {
        const res = await http(`${apiBase(provider)}${route.examples[0]}`, { headers: bearer(token) });
        statuses.add(res.status);
        if (res.status < 300) continue;
        const result = validator.check(route.method, route.documentPath as string, res.status, res.headers.get('content-type') ?? '', res.body);
        const errors = result.schema ? result.errors : validator.checkComponent(errorSchema[provider], res.body);
        problems.push(...errors.map((e) => `${why} ${route.label} (${res.status}): ${e}`));
      }
    };
    await checkAll(narrow.access_token, 'narrow scope');
    for (const kind of ['429', '500', '502', '503', 'expired_token'] as const) {
      await control(sims, 'POST', '/faults', { provider, kind });
      await checkAll(full.access_token, kind);
      await control(sims, 'DELETE', '/faults');
    }
    expect(problems).toEqual([]);
    expect([...statuses]).toEqual(expect.arrayContaining([403, 429, 500, 502, 503, 401]));
  });

  it('flags exactly the operations the document marks deprecated', () => {
    const deprecated = new Set(deprecatedOperations(provider).map((op) => `${op.method} ${op.documentPath}`));
    for (const route of served()) expect(route.deprecated, route.label).toBe(deprecated.has(`${route.method} ${route.documentPath}`));
  });
});
