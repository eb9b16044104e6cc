import type { AppAccount, Pagination, ParentRecord } from '../../../sync/types.ts';
import type { User } from '../schemas.ts';

/** Bitbucket's largest pages ("Pagination": `pagelen` at most 100, pull requests at most 50). */
export const pages: Pagination = { kind: 'bitbucket', pageSize: 100 };
export const pullRequestPages: Pagination = { kind: 'bitbucket', pageSize: 50 };

/** The UTC day (YYYY-MM-DD) of an ISO timestamp. */
export function utcDay(at: string): string {
  return new Date(at).toISOString().slice(0, 10);
}

function field(record: Record<string, unknown>, path: string): string {
  let value: unknown = record;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`the parent record has no ${path}`);
  return value;
}

/** `/workspaces/{workspace}`-style paths of a `/user/workspaces` record. */
export const workspaceSlug = (workspace: ParentRecord) => encodeURIComponent(field(workspace.data, 'workspace.slug'));

/** `/repositories/{workspace}/{repo_slug}` of a repository record. */
export function repositoryPath(repository: ParentRecord): string {
  return `/repositories/${encodeURIComponent(field(repository.data, 'workspace.slug'))}/${encodeURIComponent(field(repository.data, 'slug'))}`;
}

/**
 * Children of a repository are read again only when its `updated_on` moved since the last complete pass
 * (a push moves it), so an incremental sync of an unchanged workspace costs only the repository list.
 */
export function repositoryChanged(repository: ParentRecord, lastCompletePassAt: Date | undefined): boolean {
  if (lastCompletePassAt === undefined) return true;
  const updatedOn = Date.parse(field(repository.data, 'updated_on'));
  // The pass time is Tally's clock and updated_on Bitbucket's: allow for them being a little apart.
  return Number.isNaN(updatedOn) || updatedOn >= lastCompletePassAt.getTime() - CLOCK_SKEW_MS;
}

const CLOCK_SKEW_MS = 2 * 60 * 1000;

/**
 * Pull-request comments and approvals, deployments and pipelines that finish do not move a repository's
 * `updated_on`: streams that hold them revisit every repository at least this often (`revisitAfterMs`).
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Records of one page with their repository added, for lists whose records do not name it (so ids are
 * unique across repositories and analytics can join). A body without `values` is an error, never an empty page.
 */
export function withRepository(body: unknown, repository: ParentRecord | undefined): Array<Record<string, unknown>> {
  const values = body !== null && typeof body === 'object' ? (body as { values?: unknown }).values : undefined;
  if (!Array.isArray(values)) throw new Error('the response has no "values" list');
  if (!repository) throw new Error('this stream runs per repository');
  const ref = { uuid: field(repository.data, 'uuid'), full_name: field(repository.data, 'full_name') };
  return (values as Array<Record<string, unknown>>).map((v) => ({ repository: ref, ...v }));
}

export function userAccount(user: User, extra: { role?: string | null; email?: string | null } = {}): AppAccount {
  return { externalId: user.uuid, name: user.display_name ?? null, email: extra.email ?? null, nickname: user.nickname ?? null, role: extra.role ?? null };
}

/** `Jane Doe <jane@example.com>` -> name and email; a raw author without an address keeps its text as the name. */
export function parseRawAuthor(raw: string): { name: string | null; email: string | null } {
  const m = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(raw);
  if (!m) return { name: raw.trim() || null, email: null };
  const email = (m[2] ?? '').trim().toLowerCase();
  return { name: m[1] || null, email: email.includes('@') ? email : null };
}

/**
 * The app account of a commit author: the linked Bitbucket user when there is one (with the commit's email,
 * which the members API never gives), else an account keyed by the email (`email:<address>`), else by the
 * raw text (`raw:<text>`).
 */
export function commitAuthor(author: { raw: string; user?: User | undefined }): AppAccount {
  const { name, email } = parseRawAuthor(author.raw);
  if (author.user) return userAccount(author.user, { email });
  return { externalId: email ? `email:${email}` : `raw:${author.raw}`, name, email, nickname: null, role: null };
}

/** BBQL for "updated at or after the cursor" (inclusive), oldest update first. */
export function updatedSince(since: string | undefined): Record<string, string> {
  const query: Record<string, string> = { sort: 'updated_on' };
  if (since) query.q = `updated_on >= "${since}"`;
  return query;
}
