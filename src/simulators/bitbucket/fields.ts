/**
 * Partial responses (REST API intro, "Partial responses"): `fields` is a comma-separated list of dotted
 * paths, each one of
 *
 * - `-a.b`: remove that field;
 * - `+a.b`: add it to the default fields (the simulator already returns every field it models, so this only
 *   keeps it when another item removed it);
 * - `a.b`: return only the fields listed so (and those added with `+`).
 *
 * `*` matches every field at its level (`-links.*` leaves `links: {}`). Lists are transparent: `values.id`
 * names the `id` of every item of `values`. Items apply in order, so `-*,+foo` keeps `foo` alone. A path
 * that names no field changes nothing, as on the real service.
 */

type Rule = { keep: boolean; path: string[] };

export function parseFields(fields: string): { rules: Rule[]; onlyListed: boolean } {
  const rules: Rule[] = [];
  let onlyListed = false;
  for (const raw of fields.split(',')) {
    const item = raw.trim();
    if (item === '' || item === '-' || item === '+') continue;
    const sign = item[0] === '-' || item[0] === '+' ? item[0] : '';
    if (sign === '') onlyListed = true;
    const path = item.slice(sign.length).split('.').filter((s) => s !== '');
    if (path.length > 0) rules.push({ keep: sign !== '-', path });
  }
  return { rules, onlyListed };
}

const matches = (pattern: string, key: string) => pattern === '*' || pattern === key;

/** Whether `path` starts with `prefix` (segment by segment, with wildcards in `prefix`). */
function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!matches(prefix[i]!, path[i]!)) return false;
  return true;
}

/** A rule longer than `path` that continues it: the field's contents still need looking at. */
function reachesBelow(rules: readonly Rule[], path: readonly string[]): boolean {
  return rules.some((r) => r.path.length > path.length && startsWith(path, r.path.slice(0, path.length)));
}

/** Whether a field stays: the last item that names it or one of its parents decides, or one naming a field inside it. */
function kept(rules: readonly Rule[], onlyListed: boolean, path: readonly string[]): boolean {
  let keep = !onlyListed;
  for (const r of rules) {
    if (startsWith(path, r.path)) keep = r.keep;
    else if (r.keep && r.path.length > path.length && startsWith(path, r.path.slice(0, path.length))) keep = true;
  }
  return keep;
}

/** The body with `fields` applied; parts no item reaches are returned as they are, not copied. */
export function partialResponse(body: unknown, fields: string): unknown {
  const { rules, onlyListed } = parseFields(fields);
  if (rules.length === 0) return body;
  const walk = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, path));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (!kept(rules, onlyListed, childPath)) continue;
      out[key] = reachesBelow(rules, childPath) ? walk(child, childPath) : child;
    }
    return out;
  };
  return walk(body, []);
}
