import { z } from 'zod';
import { Timestamp } from './common.ts';

/**
 * Bitbucket's API gives no member emails; commits give some (the author's `Name <email>` when Bitbucket
 * linked it to the account). A workspace admin can export the member list as CSV from Bitbucket's admin
 * pages and import it here: each row is matched to a member by account id (or UUID), then nickname, then
 * exact display name, and fills in that member's email. The people directory then links the member to the
 * person with that email in other apps.
 *
 * An email a commit gave is kept unless the admin asks to replace it (`replaceCommitEmails`); an email a
 * previous import gave is replaced by the new list. Imported emails stay through later syncs.
 */

/** The longest CSV accepted, in characters (about 5 MB). */
export const MEMBER_EMAILS_MAX_CHARS = 5_000_000;

// POST /api/orgs/:orgId/connections/:connectionId/member-emails (admin)
export const ImportMemberEmailsRequest = z.object({
  /** The file's text: a header line naming an email column and an account id, nickname/username or name column. */
  csv: z.string().max(MEMBER_EMAILS_MAX_CHARS, `The file is too large (at most ${MEMBER_EMAILS_MAX_CHARS / 1_000_000} MB): export only the name, email and account id columns, or split it into parts.`),
  /** Replace emails that came from commits with the list's (default: keep them and report the difference). */
  replaceCommitEmails: z.boolean().default(false),
});

export const MemberRef = z.object({
  /** The Bitbucket user's UUID, `{…}`: the app account id the analytics API uses. */
  accountId: z.string(),
  name: z.string().nullable(),
  nickname: z.string().nullable(),
});

/**
 * What happened to a matched member's email: `added` (it had none), `replaced` (a previous import's or,
 * when asked, a commit's), `unchanged` (already that address), `kept` (a commit gave another address and
 * replacing was not asked for).
 */
export const MemberEmailOutcome = z.enum(['added', 'replaced', 'unchanged', 'kept']);

export const MatchedRow = z.object({
  line: z.number().int(),
  member: MemberRef,
  email: z.string(),
  matchedBy: z.enum(['account_id', 'nickname', 'name']),
  outcome: MemberEmailOutcome,
  /** The email the member had before (for `replaced` and `kept`). */
  previousEmail: z.string().nullable(),
});
export const RowProblem = z.object({
  line: z.number().int(),
  /** The row's email cell and what identified the member, as written, to find it in the file. */
  value: z.string(),
  reason: z.string(),
});

/** Lists hold at most this many rows each; `counts` has the totals. */
export const MEMBER_EMAILS_LIST_CAP = 1000;

export const ImportMemberEmailsResult = z.object({
  /** Data rows read (blank lines skipped). */
  rows: z.number().int(),
  counts: z.object({
    matched: z.number().int(),
    added: z.number().int(),
    replaced: z.number().int(),
    unchanged: z.number().int(),
    kept: z.number().int(),
    unmatched: z.number().int(),
    invalidEmails: z.number().int(),
    duplicates: z.number().int(),
  }),
  matched: z.array(MatchedRow),
  /** Rows no member fits (or several do). */
  unmatched: z.array(RowProblem),
  /** Rows whose email cell is empty or not an address. */
  invalidEmails: z.array(RowProblem),
  /** Rows for a member an earlier row already gave an email, or with an email another member has. */
  duplicates: z.array(RowProblem.extend({ firstLine: z.number().int().nullable() })),
  /** How the file was read. */
  columns: z.object({ email: z.string(), id: z.array(z.string()), nickname: z.array(z.string()), name: z.array(z.string()) }),
  delimiter: z.enum([',', ';', 'tab']),
  /** Current members still without an email after the import. */
  membersWithoutEmail: z.number().int(),
});
export type ImportMemberEmailsResult = z.infer<typeof ImportMemberEmailsResult>;

// GET /api/orgs/:orgId/connections/:connectionId/member-emails (member)
export const MemberEmailStatus = z.object({
  /** Current workspace members (seats). */
  members: z.number().int(),
  withEmail: z.number().int(),
  /** Of those, emails from an admin's import; the rest came from commits. */
  imported: z.number().int(),
  lastImport: z.object({ at: Timestamp, by: z.string().nullable(), added: z.number().int(), replaced: z.number().int() }).nullable(),
});
export type MemberEmailStatus = z.infer<typeof MemberEmailStatus>;
