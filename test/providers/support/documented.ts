/**
 * Checks a request a stream built against the provider's own API description: the path is a documented
 * GET operation that is not deprecated, and every query parameter is one the document (or, for paging and
 * filtering that the documents describe once for all lists, the provider's general rules) allows.
 */
import { findOperation, loadProviderDocument } from '../../../src/simulators/specs.ts';
import type { ProviderSlug } from '../../../src/simulators/types.ts';

type Json = Record<string, any>;

function resolve(doc: Json, node: Json): Json {
  let out = node;
  while (out && typeof out.$ref === 'string') {
    out = (out.$ref as string).replace('#/', '').split('/').reduce((o: Json, k: string) => o[k], doc);
  }
  return out;
}

/** `/v2/projects/abc/resources` -> `/v2/projects/{project_id}/resources`, the most literal match first. */
function matchTemplate(doc: Json, path: string): string | null {
  const candidates = Object.keys(doc.paths).filter((template) => {
    const t = template.split('/');
    const p = path.split('/');
    return t.length === p.length && t.every((seg, i) => seg.startsWith('{') || seg === p[i]);
  });
  const literal = (t: string) => t.split('/').filter((s) => !s.startsWith('{')).length;
  return candidates.sort((a, b) => literal(b) - literal(a))[0] ?? null;
}

/** Bitbucket documents `page`, `pagelen`, `q`, `sort` and `fields` once, in its REST intro, for every list. */
const BITBUCKET_GENERAL = ['page', 'pagelen', 'q', 'sort', 'fields'];

export function checkRequest(provider: ProviderSlug, url: URL): string[] {
  const doc = loadProviderDocument(provider) as unknown as Json;
  const prefix = provider === 'bitbucket' ? url.pathname.indexOf('/2.0/') + '/2.0'.length : url.pathname.indexOf('/v2/');
  const path = decodeURIComponent(url.pathname.slice(prefix));
  const template = matchTemplate(doc, path);
  if (!template) return [`${path} is not a documented path`];
  const op = findOperation(provider, 'GET', template) as Json | null;
  if (!op) return [`GET ${template} is not documented`];
  const problems: string[] = [];
  if (op.deprecated) problems.push(`GET ${template} is deprecated`);
  const params = new Map<string, Json>();
  for (const p of [...(doc.paths[template].parameters ?? []), ...(op.parameters ?? [])].map((x: Json) => resolve(doc, x))) if (p.in === 'query') params.set(p.name, p);
  const response = JSON.stringify(resolve(doc, op.responses?.['200'] ?? {}));
  const general = provider === 'bitbucket' ? BITBUCKET_GENERAL : response.includes('#/components/schemas/pagination') ? ['page', 'per_page'] : [];
  for (const [name, value] of url.searchParams) {
    const p = params.get(name);
    if (!p && !general.includes(name)) problems.push(`${template}: query parameter ${name} is not documented`);
    const schema = p?.schema ? resolve(doc, p.schema) : null;
    // A leading `-` sorts descending on any sortable field (the REST intro's "Sorting query results").
    const compared = name === 'sort' && provider === 'bitbucket' ? value.replace(/^-/, '') : value;
    if (schema?.enum && !schema.enum.includes(compared)) problems.push(`${template}: ${name}=${value} is not one of ${schema.enum.join(', ')}`);
    if (schema?.maximum !== undefined && Number(value) > schema.maximum) problems.push(`${template}: ${name}=${value} is over ${schema.maximum}`);
  }
  return problems;
}
