// Typed calls for the Connections part of the API: provider cards, Connect/Reconnect (OAuth),
// personal tokens, Disconnect, and invitations for an app's admin to connect it.
import type { z } from 'zod';
import type {
  AuthorizeRequest,
  AuthorizeResponse,
  Connection,
  ConnectionStatus,
  ConnectInvitation as ConnectInvitationSchema,
  ConnectInvitationPreview as ConnectInvitationPreviewSchema,
  CreateConnectInvitationRequest,
  CreatedConnectInvitation,
  PersonalTokenRequest,
  ProviderCard as ProviderCardSchema,
  ProviderSlug,
} from './contracts.ts';
import { http } from './http.ts';

export type { Connection, ConnectionStatus, ProviderSlug };
export type ProviderCard = z.infer<typeof ProviderCardSchema>;
export type ConnectInvitation = z.infer<typeof ConnectInvitationSchema>;
export type ConnectInvitationPreview = z.infer<typeof ConnectInvitationPreviewSchema>;
export type CreatedConnectInvitationResult = z.infer<typeof CreatedConnectInvitation>;
export type AuthorizeInput = z.input<typeof AuthorizeRequest>;
export type PersonalTokenInput = z.input<typeof PersonalTokenRequest>;
export type CreateConnectInvitationInput = z.input<typeof CreateConnectInvitationRequest>;
export type PersonalTokenResult =
  | { result: 'connected' | 'reconnected' }
  | { result: 'account_mismatch'; existingAccount?: string };
export type RevokeOutcome = 'revoked' | 'not_supported' | 'failed';

type Ok = { ok: true };
const org = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}`;
const id = (value: string) => encodeURIComponent(value);

export const connectionsApi = {
  cards: (orgId: string) => http.get<{ items: ProviderCard[] }>(`${org(orgId)}/connections`),
  authorize: (orgId: string, provider: ProviderSlug, input: AuthorizeInput) =>
    http.post<z.infer<typeof AuthorizeResponse>>(`${org(orgId)}/connections/${provider}/authorize`, input),
  personalToken: (orgId: string, provider: ProviderSlug, input: PersonalTokenInput) =>
    http.post<PersonalTokenResult>(`${org(orgId)}/connections/${provider}/personal-token`, input),
  disconnect: (orgId: string, connectionId: string, deleteData: boolean) =>
    http.post<{ revoked: RevokeOutcome }>(`${org(orgId)}/connections/${id(connectionId)}/disconnect`, { deleteData }),

  invitations: (orgId: string) => http.get<{ items: ConnectInvitation[] }>(`${org(orgId)}/connect-invitations`),
  invite: (orgId: string, input: CreateConnectInvitationInput) =>
    http.post<CreatedConnectInvitationResult>(`${org(orgId)}/connect-invitations`, input),
  revokeInvitation: (orgId: string, invitationId: string) =>
    http.delete<Ok>(`${org(orgId)}/connect-invitations/${id(invitationId)}`),

  invitationPreview: (token: string) => http.get<ConnectInvitationPreview>(`/api/connect-invitations/${id(token)}`),
  authorizeInvitation: (token: string) =>
    http.post<z.infer<typeof AuthorizeResponse>>(`/api/connect-invitations/${id(token)}/authorize`),
};
