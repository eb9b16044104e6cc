// Typed calls for the accounts part of the API. Types come from the server's zod contracts
// (type-only imports, so no zod code reaches the bundle).
import type { z } from 'zod';
import type {
  AcceptInvitationRequest,
  ChangePasswordRequest,
  CreateInvitationRequest,
  CreatedInvitation,
  Invitation,
  InvitationPreview as InvitationPreviewSchema,
  LoginRequest,
  Me,
  Member,
  Role,
  SetupRequest,
  SetupStatus,
  UpdateMeRequest,
  User,
} from './contracts.ts';
import { http } from './http.ts';

export type { Invitation, Me, Member, Role, User };
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;
export type CreatedInvitationResult = z.infer<typeof CreatedInvitation>;
export type SetupInput = z.input<typeof SetupRequest>;
export type LoginInput = z.input<typeof LoginRequest>;
export type ChangePasswordInput = z.input<typeof ChangePasswordRequest>;
export type CreateInvitationInput = z.input<typeof CreateInvitationRequest>;
export type AcceptInvitationInput = z.input<typeof AcceptInvitationRequest>;

type Ok = { ok: true };
const org = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}`;

export const accountsApi = {
  setupStatus: () => http.get<z.infer<typeof SetupStatus>>('/api/setup'),
  setup: (input: SetupInput) => http.post<Me>('/api/setup', input),

  login: (input: LoginInput) => http.post<Me>('/api/auth/login', input),
  logout: () => http.post<Ok>('/api/auth/logout'),

  me: () => http.get<Me>('/api/me'),
  updateMe: (input: z.input<typeof UpdateMeRequest>) => http.patch<Me>('/api/me', input),
  changePassword: (input: ChangePasswordInput) => http.post<Ok>('/api/me/password', input),

  /** Creates another organization with the caller as its owner (documented in /api/docs; no shared contract). */
  createOrganization: (name: string) => http.post<Me>('/api/orgs', { name }),

  members: (orgId: string) => http.get<{ items: Member[] }>(`${org(orgId)}/members`),
  updateMember: (orgId: string, userId: string, role: Role) =>
    http.patch<{ items: Member[] }>(`${org(orgId)}/members/${encodeURIComponent(userId)}`, { role }),
  removeMember: (orgId: string, userId: string) =>
    http.delete<Ok>(`${org(orgId)}/members/${encodeURIComponent(userId)}`),

  invitations: (orgId: string) => http.get<{ items: Invitation[] }>(`${org(orgId)}/invitations`),
  invite: (orgId: string, input: CreateInvitationInput) =>
    http.post<CreatedInvitationResult>(`${org(orgId)}/invitations`, input),
  revokeInvitation: (orgId: string, invitationId: string) =>
    http.delete<Ok>(`${org(orgId)}/invitations/${encodeURIComponent(invitationId)}`),

  invitationPreview: (token: string) =>
    http.get<InvitationPreview>(`/api/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (token: string, input: AcceptInvitationInput) =>
    http.post<Me>(`/api/invitations/${encodeURIComponent(token)}/accept`, input),
};
