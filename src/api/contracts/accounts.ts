import { z } from 'zod';
import { Id, Role, Timestamp } from './common.ts';

export const Password = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');
export const Email = z.string().trim().toLowerCase().email('Enter a valid email address.').max(254);
export const PersonName = z.string().trim().min(1, 'Enter a name.').max(120);

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  /** May change instance-wide settings (provider OAuth apps): the account that set Tally up. */
  instanceAdmin: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const Organization = z.object({ id: Id, name: z.string(), slug: z.string(), createdAt: Timestamp });
export type Organization = z.infer<typeof Organization>;

export const Membership = z.object({ organization: Organization, role: Role });
export type Membership = z.infer<typeof Membership>;

// GET /api/setup
export const SetupStatus = z.object({ needed: z.boolean() });
// POST /api/setup
export const SetupRequest = z.object({
  organizationName: z.string().trim().min(1, 'Enter the organization name.').max(120),
  name: PersonName,
  email: Email,
  password: Password,
});

// POST /api/auth/login
export const LoginRequest = z.object({ email: Email, password: z.string().min(1).max(200) });

// GET /api/me (401 `unauthenticated` when there is no session), also the answer of setup/login/accept
export const Me = z.object({ user: User, memberships: z.array(Membership) });
export type Me = z.infer<typeof Me>;

// PATCH /api/me
export const UpdateMeRequest = z.object({ name: PersonName });
// POST /api/me/password (ends every other session of the user)
export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password });

// GET /api/orgs/:orgId/members
export const Member = z.object({
  userId: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: Timestamp,
});
export type Member = z.infer<typeof Member>;
export const MemberList = z.object({ items: z.array(Member) });
// PATCH /api/orgs/:orgId/members/:userId (admin+, only an owner may grant or take away `owner`)
export const UpdateMemberRequest = z.object({ role: Role });
// DELETE /api/orgs/:orgId/members/:userId (admin+ removes; anyone removes themselves = leave; the last owner cannot)

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const Invitation = z.object({
  id: Id,
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  invitedBy: z.object({ id: Id, name: z.string() }).nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export type Invitation = z.infer<typeof Invitation>;
// GET /api/orgs/:orgId/invitations (admin+)
export const InvitationList = z.object({ items: z.array(Invitation) });
// POST /api/orgs/:orgId/invitations (admin+) -> 201 CreatedInvitation; the link is shown once and emailed when SMTP is set
export const CreateInvitationRequest = z.object({ email: Email, role: Role.exclude(['owner']).default('member') });
export const CreatedInvitation = z.object({ invitation: Invitation, link: z.string().url(), emailed: z.boolean() });
// DELETE /api/orgs/:orgId/invitations/:invitationId (admin+) -> revokes

// GET /api/invitations/:token (no session needed)
export const InvitationPreview = z.object({
  organization: z.object({ name: z.string() }),
  email: z.string(),
  role: Role,
  expiresAt: Timestamp,
  accountExists: z.boolean(),
});
// POST /api/invitations/:token/accept -> Me (logs the invitee in)
// New account: name + password required. Existing account: password required unless already logged in as that email.
export const AcceptInvitationRequest = z.object({ name: PersonName.optional(), password: z.string().max(200).optional() });
