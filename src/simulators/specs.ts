import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderSlug } from './types.ts';

/**
 * The providers' own API description documents (see ../shared/provider-specs/README.md). They are
 * the contract the simulators answer to; CI clones the repository with `shared/` beside it.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');

export function providerDocumentPath(provider: ProviderSlug): string {
  return path.resolve(repoRoot, '../shared/provider-specs', provider, 'openapi.json');
}

/** The prefix the document's paths sit under at the provider (Bitbucket's paths omit `/2.0`). */
export const documentPathPrefix: Record<ProviderSlug, string> = { digitalocean: '', bitbucket: '/2.0' };

export interface OpenApiOperation {
  operationId?: string;
  deprecated?: boolean;
  security?: Array<Record<string, string[]>>;
  parameters?: unknown[];
  responses?: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components: { schemas: Record<string, unknown>; [key: string]: unknown };
}

const loaded = new Map<ProviderSlug, OpenApiDocument>();

export function loadProviderDocument(provider: ProviderSlug): OpenApiDocument {
  let doc = loaded.get(provider);
  if (!doc) {
    doc = JSON.parse(readFileSync(providerDocumentPath(provider), 'utf8')) as OpenApiDocument;
    loaded.set(provider, doc);
  }
  return doc;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export interface DocumentedOperation {
  method: string;
  /** The path as the document writes it, e.g. `/repositories` or `/v2/droplets`. */
  documentPath: string;
  /** The path as called at the provider's API base, e.g. `/2.0/repositories`. */
  apiPath: string;
  operationId: string | null;
}

export function documentedOperations(provider: ProviderSlug): DocumentedOperation[] {
  const doc = loadProviderDocument(provider);
  const out: DocumentedOperation[] = [];
  for (const [documentPath, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as OpenApiOperation | undefined;
      if (!op) continue;
      out.push({
        method: method.toUpperCase(),
        documentPath,
        apiPath: documentPathPrefix[provider] + documentPath,
        operationId: op.operationId ?? null,
      });
    }
  }
  return out;
}

export function findOperation(provider: ProviderSlug, method: string, documentPath: string): OpenApiOperation | null {
  const item = loadProviderDocument(provider).paths[documentPath];
  return (item?.[method.toLowerCase()] as OpenApiOperation | undefined) ?? null;
}

/** Every operation the provider's document marks `deprecated: true`. */
export function deprecatedOperations(provider: ProviderSlug): DocumentedOperation[] {
  return documentedOperations(provider).filter(
    (op) => findOperation(provider, op.method, op.documentPath)?.deprecated === true,
  );
}
