import type { FastifyInstance } from 'fastify';
import type { ProviderSlug } from '../types.ts';

/**
 * Every provider route carries this in its Fastify `config`, so the catalog below is built from
 * what Fastify actually registered (an `onRoute` hook), not from a second list kept by hand.
 */
export interface SimRouteMeta {
  provider: ProviderSlug;
  kind: 'api' | 'oauth' | 'page';
  /** The path as the provider's document writes it (API routes only). */
  documentPath: string | null;
  /** The route as counted and matched by fault rules, e.g. `GET /2.0/repositories/{workspace}`. */
  label: string;
  deprecated: boolean;
  /** Concrete request paths (with query) under the provider's API base, built from seeded data. */
  examples?: () => string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    sim?: SimRouteMeta;
  }
}

export interface ServedRoute {
  provider: ProviderSlug;
  kind: SimRouteMeta['kind'];
  method: string;
  url: string;
  label: string;
  documentPath: string | null;
  deprecated: boolean;
  examples: string[];
}

export class RouteCatalog {
  #routes: Array<{ method: string; url: string; meta: SimRouteMeta }> = [];

  /** Call before any provider route is registered. */
  collectFrom(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const meta = route.config?.sim;
      if (!meta) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD') continue;
        this.#routes.push({ method, url: route.url, meta });
      }
    });
  }

  list(): ServedRoute[] {
    return this.#routes.map(({ method, url, meta }) => ({
      provider: meta.provider,
      kind: meta.kind,
      method,
      url,
      label: meta.label,
      documentPath: meta.documentPath,
      deprecated: meta.deprecated,
      examples: meta.examples ? meta.examples() : [],
    }));
  }
}

/** `/v2/droplets/{droplet_id}` -> `/v2/droplets/:droplet_id` (Fastify's syntax). */
export function fastifyPath(documentPath: string): string {
  return documentPath.replace(/\{([^}]+)\}/g, ':$1');
}
