/**
 * Random values for an OpenAPI 3.0 schema of the providers' documents: $ref, allOf (merged), oneOf/anyOf
 * (one branch), enums, formats, bounds, nullable. Deliberately small: the suite checks every generated body
 * against the document with Ajv (openapi-validator.ts) and generates again when one is not valid, so a
 * case this misses costs a retry, never a wrong claim.
 *   complete: every documented property is present and nothing is null (what the providers send today);
 *   otherwise optional properties come and go and nullable ones are sometimes null (what they may send).
 */
import { Random } from '../../../src/simulators/core/random.ts';

type Json = Record<string, any>;

const MAX_DEPTH = 8;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox', 'golf', 'hotel', 'india', 'juliet'];

export class OpenApiFaker {
  readonly #doc: Json;
  readonly #random: Random;
  readonly #complete: boolean;

  constructor(doc: unknown, seed: number, options: { complete: boolean }) {
    this.#doc = doc as Json;
    this.#random = new Random(seed);
    this.#complete = options.complete;
  }

  #chance(p: number): boolean {
    return this.#random.next() < p;
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random.next() * (max - min + 1));
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random.next() * items.length)]!;
  }

  /** A schema with its $refs followed; `name` is the last component it came from (Bitbucket's `type` values). */
  #resolve(schema: Json, name?: string): { schema: Json; name: string | undefined } {
    let s = schema;
    let n = name;
    while (s && typeof s.$ref === 'string') {
      n = (s.$ref as string).split('/').pop();
      s = (s.$ref as string).slice(2).split('/').reduce((o: Json, k: string) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], this.#doc);
    }
    return { schema: s ?? {}, name: n };
  }

  /** allOf as one schema: properties and required lists merged, the first type and bounds kept. */
  #merge(schema: Json, name: string | undefined): Json {
    if (!Array.isArray(schema.allOf)) return schema;
    const merged: Json = { ...schema, allOf: undefined, properties: { ...schema.properties }, required: [...(schema.required ?? [])] };
    for (const part of schema.allOf as Json[]) {
      const sub = this.#merge(this.#resolve(part, name).schema, name);
      merged.type ??= sub.type;
      Object.assign(merged.properties, sub.properties ?? {});
      merged.required.push(...(sub.required ?? []));
      for (const key of ['enum', 'format', 'items', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'nullable', 'example', 'oneOf', 'anyOf']) merged[key] ??= sub[key];
    }
    return merged;
  }

  value(input: Json, depth = 0, name?: string): unknown {
    const resolved = this.#resolve(input, name);
    const schema = this.#merge(resolved.schema, resolved.name);
    if (schema.nullable && !this.#complete && this.#chance(0.2)) return null;
    const branches = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
    if (branches?.length) {
      const branch = this.#pick(branches);
      const base: Json = { ...schema, oneOf: undefined, anyOf: undefined };
      const picked = this.#merge(this.#resolve(branch, resolved.name).schema, resolved.name);
      return this.value({ ...base, ...picked, properties: { ...(base.properties ?? {}), ...(picked.properties ?? {}) }, required: [...(base.required ?? []), ...(picked.required ?? [])] }, depth, resolved.name);
    }
    if (Array.isArray(schema.enum) && schema.enum.length) return this.#pick(schema.enum.filter((v: unknown) => v !== null).length ? schema.enum.filter((v: unknown) => v !== null) : schema.enum);
    const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
    switch (type) {
      case 'object':
        return this.#object(schema, depth, resolved.name);
      case 'array': {
        // A tuple the document leaves open (DigitalOcean's metric samples) takes the shape of its example.
        if (Array.isArray(schema.example) && this.#resolve(schema.items ?? {}).schema.type === 'array') return structuredClone(schema.example);
        const min = schema.minItems ?? 0;
        const max = depth >= MAX_DEPTH ? min : Math.max(min, Math.min(schema.maxItems ?? 3, 3));
        return Array.from({ length: this.#int(min, max) }, () => this.value(schema.items ?? {}, depth + 1));
      }
      case 'integer': {
        const step = schema.multipleOf ?? 1;
        return step * this.#int(Math.ceil((schema.minimum ?? 0) / step), Math.floor((schema.maximum ?? Math.max(10_000, schema.minimum ?? 0)) / step));
      }
      case 'number': {
        const min = schema.minimum ?? 0;
        const max = schema.maximum ?? min + 10_000;
        return Math.round((min + this.#random.next() * (max - min)) * 100) / 100;
      }
      case 'boolean':
        return this.#chance(0.5);
      default:
        return this.#string(schema);
    }
  }

  #object(schema: Json, depth: number, name: string | undefined): Json {
    const out: Json = {};
    const required = new Set<string>(schema.required ?? []);
    for (const [key, prop] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      const include = required.has(key) || (depth < MAX_DEPTH && (this.#complete || this.#chance(0.5)));
      if (!include) continue;
      // Bitbucket's objects name their own type, and the document dispatches on it (its discriminator).
      const own = this.#resolve(prop).schema;
      out[key] = key === 'type' && name && own.type === 'string' && !own.enum && name in this.#doc.components.schemas ? name : this.value(prop, depth + 1);
    }
    if (Object.keys(out).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object' && depth < MAX_DEPTH) {
      out[this.#pick(WORDS)] = this.value(schema.additionalProperties, depth + 1);
    }
    return out;
  }

  #string(schema: Json): string {
    if (typeof schema.example === 'string' && (schema.pattern || this.#chance(0.3))) return schema.example;
    const day = new Date(Date.UTC(2025, 0, 1) + this.#int(0, 600) * 86_400_000 + this.#int(0, 86_399) * 1000);
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[this.#int(0, 15)]).join('');
    switch (schema.format) {
      case 'date-time':
        return day.toISOString();
      case 'date':
        return day.toISOString().slice(0, 10);
      case 'email':
        return `${this.#pick(WORDS)}${this.#int(1, 999)}@example.com`;
      case 'uri':
      case 'url':
        return `https://example.com/${this.#pick(WORDS)}/${this.#int(1, 9999)}`;
      case 'uuid':
        return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      case 'ipv4':
        return `10.${this.#int(0, 255)}.${this.#int(0, 255)}.${this.#int(1, 254)}`;
      case 'ipv6':
        return `fd00::${hex(4)}`;
    }
    if (schema.pattern) {
      // The first of a few shapes that the pattern takes (hashes, host names, digits, words).
      const candidates = [hex(12), `${this.#pick(WORDS)}.example.com`, String(this.#int(1, 99_999)), `${this.#pick(WORDS)}-${this.#int(1, 99)}`, this.#pick(WORDS)];
      const fits = candidates.find((c) => {
        try {
          return new RegExp(schema.pattern).test(c);
        } catch {
          return false; // a pattern JavaScript cannot read: any shape, and Ajv judges the body
        }
      });
      if (fits) return fits;
    }
    const min = schema.minLength ?? 1;
    const max = Math.max(min, Math.min(schema.maxLength ?? 24, 24));
    let text = `${this.#pick(WORDS)}-${this.#int(1, 99_999)}`;
    while (text.length < min) text += `-${this.#pick(WORDS)}`;
    return text.slice(0, max);
  }
}
