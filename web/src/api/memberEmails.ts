// Typed calls for importing a Bitbucket workspace member list (CSV) to fill in members' emails, which
// Bitbucket's API never gives (src/api/contracts/member-emails.ts).
import type { z } from 'zod';
import type {
  ImportMemberEmailsRequest,
  ImportMemberEmailsResult,
  MemberEmailStatus,
} from '../../../src/api/contracts/member-emails.ts';
import { http } from './http.ts';

export type { ImportMemberEmailsResult, MemberEmailStatus };
export type ImportMemberEmailsInput = z.input<typeof ImportMemberEmailsRequest>;

/** The largest file the API takes (MEMBER_EMAILS_MAX_CHARS), checked before uploading. */
export const MEMBER_EMAILS_MAX_BYTES = 5_000_000;

const url = (orgId: string, connectionId: string) => `/api/orgs/${encodeURIComponent(orgId)}/connections/${encodeURIComponent(connectionId)}/member-emails`;

export const memberEmailsApi = {
  status: (orgId: string, connectionId: string) => http.get<MemberEmailStatus>(url(orgId, connectionId)),
  import: (orgId: string, connectionId: string, input: ImportMemberEmailsInput) => http.post<ImportMemberEmailsResult>(url(orgId, connectionId), input),
};
