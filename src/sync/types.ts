import type { z } from 'zod';
import type { ProviderSlug } from '../api/contracts/connections.ts';

/**
 * A stream is what a provider declares; the engine does the rest (requests, paging, retries, rate
 * budget, validation, upserts, checkpoints, deletion detection, activity facts). Streams never touch the
 * database or the network themselves.
 */

/** How a list pages, as the provider does it. */
export type Pagination =
  /** DigitalOcean: `page` + `per_page` (max 200), `links.pages.next`, `meta.total`; records under `recordsKey`. */
  | { kind: 'digitalocean'; recordsKey: string; pageSize: number }
  /** Bitbucket: `pagelen` (max 100, pull requests 50), follow the absolute `next` URL; records in `values`. */
  | { kind: 'bitbucket'; pageSize: number }
  /** One document, no paging; the record(s) under `recordsKey` (an object or an array), or the whole body. */
  | { kind: 'single'; recordsKey?: string };

/** What one record says a person or resource did on a day. */
export type ActivityFact = {
  /** The app account (person) or resource the activity belongs to, as the provider identifies it. */
  accountId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** e.g. `commit`, `pull_request.opened`, `pull_request.reviewed`, `pipeline.run`, `issue.updated`, `droplet.running`. */
  feature: string;
  count: number;
};

/** An identity in one app (a Bitbucket user, a DigitalOcean team member), kept apart from org-level people. */
export type AppAccount = {
  externalId: string;
  name: string | null;
  email: string | null;
  nickname: string | null;
  /** e.g. workspace permission: `owner`, `collaborator`, `member`. */
  role: string | null;
};

/** A parent record the engine hands to a child stream (e.g. a repository to its commits). */
export type ParentRecord = { externalId: string; data: Record<string, unknown> };

export type IncrementalCursor<R> = {
  /** The record's value of the cursor field (ISO timestamp). */
  value: (record: R) => string;
  /**
   * Query parameters asking for records with cursor >= since (inclusive: records sharing the last
   * timestamp are fetched again and deduplicated by primary key, never lost). `since` is undefined on the
   * first run.
   */
  query: (since: string | undefined) => Record<string, string>;
  /**
   * The list comes sorted newest first on the cursor: the engine may stop at the first page older than
   * `since`. Otherwise it is sorted oldest first, and the engine asks for each next page as "cursor >= the
   * newest value read" instead of by page number: page numbers shift when a record already read is updated
   * and moves to the end, and the record that slides into the gap would be lost.
   */
  newestFirst: boolean;
  /**
   * Read this far behind the cursor again (records that keep changing after the cursor passed them, e.g. a
   * pipeline still running when it was read, whose build minutes are known only when it ends).
   */
  lookbackMs?: number;
};

export type StreamDefinition<R = any> = {
  /** Plural noun, unique within the provider: `droplets`, `commits`. */
  name: string;
  provider: ProviderSlug;
  /** Path under the provider's API base URL, e.g. `/v2/droplets`, or built from the parent record. */
  path: string | ((parent: ParentRecord) => string);
  /** Extra query parameters (filters, sort, time windows), fixed or built from the parent and the clock. */
  query?: Record<string, string> | ((input: { parent: ParentRecord | undefined; now: Date }) => Record<string, string>);
  /**
   * For responses that are not a plain list (a metrics series, an invoice list with its running-month
   * preview): the records of one page. Defaults to the pagination's records key / `values`.
   */
  extract?: (body: unknown, parent: ParentRecord | undefined, url: URL) => unknown[];
  pagination: Pagination;
  /** Child streams run once per record of the parent stream (which must come earlier in the list). */
  parent?: string;
  /**
   * A child may be skipped for a parent record without calling the API (e.g. a repository whose
   * `updated_on` did not move since the last complete pass): return false to skip.
   */
  shouldFetch?: (parent: ParentRecord, lastCompletePassAt: Date | undefined) => boolean;
  /**
   * Changes that `shouldFetch` cannot see (a comment does not move a repository's `updated_on`) are caught
   * by reading the partition anyway once its last complete pass is this old.
   */
  revisitAfterMs?: number;
  /** Parses one record; tolerant of unknown fields. A record that fails is quarantined, the rest kept. */
  schema: z.ZodType<R>;
  /**
   * Keys left out of the stored copy of a record, at any depth. Bitbucket's `links` are URLs rebuilt from ids
   * the record already holds, and make half of its JSON (two thirds of a commit's): storing them cost
   * ingest time, WAL and disk for nothing Tally reads. Activity, accounts and cursors still see the whole record.
   */
  unstoredKeys?: readonly string[];
  /** Primary key of the record within (connection, stream). */
  id: (record: R) => string;
  /** Incremental when the API can filter by a cursor; otherwise full refresh with deletion detection. */
  incremental?: IncrementalCursor<R>;
  /** 404 for a child means the feature is off for that parent (e.g. issue tracker disabled): skip it with this reason. */
  notFoundMeans?: string;
  /**
   * `daily` streams (billing; member and project lists, which change rarely and cost many pages in a
   * large workspace) sync with the daily schedule, the rest (`activity`) hourly, by default.
   */
  schedule?: StreamGroup;
  /** Activity facts a record stands for. */
  activity?: (record: R, parent: ParentRecord | undefined) => ActivityFact[];
  /** App accounts a record names (members, commit authors). */
  accounts?: (record: R, parent: ParentRecord | undefined) => AppAccount[];
};

export type StreamGroup = 'activity' | 'daily';

export const streamGroup = (stream: Pick<StreamDefinition, 'schedule'>): StreamGroup => stream.schedule ?? 'activity';

/** Declares a stream with its record type checked against its schema. */
export function defineStream<S extends z.ZodType>(definition: StreamDefinition<z.infer<S>> & { schema: S }): StreamDefinition<z.infer<S>> {
  return definition;
}
