/**
 * Validates simulator responses against the providers' OpenAPI 3.0 documents with Ajv. Schemas go
 * through @openapi-contrib/openapi-schema-to-json-schema first (`nullable` becomes a `null` type,
 * OpenAPI-only keywords are dropped). `discriminator` is kept and enforced: an object whose
 * discriminating property names a component schema must also match that schema, which is how
 * both documents use it (e.g. a `type: "pipeline_state_completed"` object is checked against
 * `pipeline_state_completed`).
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { openapiSchemaToJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import { loadProviderDocument } from '../../../src/simulators/specs.ts';
import type { ProviderSlug } from '../../../src/simulators/types.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const DOC_ID = 'https://simulators.tally.invalid/document.json';

type Json = Record<string, unknown>;

export interface ResponseCheck {
  /** The document's response entry used: the status code, or `default`, or null if neither exists. */
  documented: string | null;
  /** Whether a schema was there to validate the body against. */
  schema: boolean;
  errors: string[];
}

function convert(schema: unknown): Json {
  const converted = openapiSchemaToJsonSchema(schema as Json, { keepNotSupported: ['discriminator'] }) as Json;
  delete converted.$schema;
  return converted;
}

export class ResponseValidator {
  readonly provider: ProviderSlug;
  readonly #doc: ReturnType<typeof loadProviderDocument>;
  readonly #ajv: Ajv;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(provider: ProviderSlug) {
    this.provider = provider;
    this.#doc = loadProviderDocument(provider);
    this.#ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(this.#ajv);
    // Formats the documents use that JSON Schema does not define: accept any string.
    for (const name of ['cidr', 'rfc3164', 'rfc5424', 'string', 'uint32', 'uint64']) this.#ajv.addFormat(name, true);
    this.#addDiscriminator();
    const schemas: Json = {};
    for (const [name, schema] of Object.entries(this.#doc.components.schemas)) schemas[name] = convert(schema);
    this.#ajv.addSchema({ $id: DOC_ID, components: { schemas } });
  }

  #addDiscriminator(): void {
    const validating = new WeakSet<object>();
    const componentNames = () => this.#doc.components.schemas;
    this.#ajv.addKeyword({
      keyword: 'discriminator',
      schemaType: 'object',
      errors: true,
      compile: (discriminator: { propertyName: string; mapping?: Record<string, string> }) => {
        const check = (data: unknown): boolean => {
          if (data === null || typeof data !== 'object' || validating.has(data)) return true;
          const value = (data as Json)[discriminator.propertyName];
          if (typeof value !== 'string') return true;
          const target = (discriminator.mapping?.[value] ?? value).split('/').pop() as string;
          if (!(target in componentNames())) return true;
          validating.add(data);
          try {
            const validate = this.#component(target);
            const valid = validate(data) as boolean;
            (check as unknown as { errors: ErrorObject[] | null }).errors = valid
              ? null
              : (validate.errors ?? []).map((e) => ({ ...e, message: `(as ${target}) ${e.message ?? ''}` }));
            return valid;
          } finally {
            validating.delete(data);
          }
        };
        return check;
      },
    });
  }

  #component(name: string): ValidateFunction {
    let fn = this.#compiled.get(name);
    if (!fn) {
      fn = this.#ajv.compile({ $ref: `${DOC_ID}#/components/schemas/${name}` });
      this.#compiled.set(name, fn);
    }
    return fn;
  }

  #resolve<T>(value: unknown): T {
    let v = value as Json;
    while (typeof v?.$ref === 'string') {
      v = (v.$ref as string)
        .slice(2)
        .split('/')
        .reduce<Json>((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, this.#doc as unknown as Json);
    }
    return v as T;
  }

  /** The document's response object for this operation and status (or its `default`). */
  response(method: string, documentPath: string, status: number): { key: string; response: Json } | null {
    const op = this.#doc.paths[documentPath]?.[method.toLowerCase()] as { responses?: Json } | undefined;
    if (!op?.responses) throw new Error(`${method} ${documentPath} is not in the ${this.provider} document`);
    for (const key of [String(status), 'default']) {
      if (op.responses[key] !== undefined) return { key, response: this.#resolve<Json>(op.responses[key]) };
    }
    return null;
  }

  /** Validate a JSON body against the document's schema for this operation and status. */
  check(method: string, documentPath: string, status: number, contentType: string, body: unknown): ResponseCheck {
    const found = this.response(method, documentPath, status);
    if (!found) return { documented: null, schema: false, errors: [] };
    const content = (found.response.content ?? {}) as Record<string, { schema?: unknown }>;
    const mediaType = contentType.split(';')[0]?.trim() ?? '';
    const media = content[mediaType];
    if (!media) {
      const documentedTypes = Object.keys(content);
      const errors = documentedTypes.length > 0 ? [`content type ${mediaType} is not documented (${documentedTypes.join(', ')})`] : [];
      return { documented: found.key, schema: false, errors };
    }
    if (!media.schema) return { documented: found.key, schema: false, errors: [] };
    const key = `${method} ${documentPath} ${found.key} ${mediaType}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      const schema = JSON.parse(JSON.stringify(convert(media.schema)).replaceAll('"$ref":"#/', `"$ref":"${DOC_ID}#/`)) as Json;
      validate = this.#ajv.compile(schema);
      this.#compiled.set(key, validate);
    }
    const valid = validate(body) as boolean;
    return { documented: found.key, schema: true, errors: valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`) };
  }

  /** Validate against a named component schema (the provider's generic error body, say). */
  checkComponent(name: string, body: unknown): string[] {
    const validate = this.#component(name);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }

  /** Response headers the document lists for this operation and status. */
  documentedHeaders(method: string, documentPath: string, status: number): string[] {
    const found = this.response(method, documentPath, status);
    return Object.keys((found?.response.headers ?? {}) as Json).map((h) => h.toLowerCase());
  }
}
