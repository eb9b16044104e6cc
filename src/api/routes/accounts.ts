import { z } from 'zod';
import {
  AcceptInvitationRequest,
  ChangePasswordRequest,
  InvitationPreview,
  LoginRequest,
  Me,
  SetupRequest,
  SetupStatus,
  UpdateMeRequest,
} from '../contracts/accounts.ts';
import { Ok } from '../contracts/common.ts';
import { acceptInvitation, previewInvitation } from '../../accounts/invitations.ts';
import { createOrganization } from '../../accounts/organizations.ts';
import { changePassword, createSession, login, logout } from '../../accounts/sessions.ts';
import { runSetup, setupNeeded } from '../../accounts/setup.ts';
import { meOf } from '../../accounts/views.ts';
import type { AppContext } from '../../context.ts';
import { updateUser } from '../../store/queries/accounts.ts';
import { clearSessionCookie, ensureCsrfCookie, setSessionCookie } from '../security.ts';
import { requireUser, type TallyApp } from '../server.ts';

const clientOf = (req: { ip: string; headers: Record<string, unknown> }) => ({
  ip: req.ip,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 300) : null,
});

export function accountRoutes(app: TallyApp, ctx: AppContext): void {
  const { db, config } = ctx;

  app.get('/api/csrf', {
    config: { access: 'public' },
    schema: { tags: ['accounts'], summary: 'Get (and set) the CSRF token cookie', response: { 200: z.object({ token: z.string() }) } },
    handler: async (req, reply) => ({ token: ensureCsrfCookie(req, reply, config) }),
  });

  app.get('/api/setup', {
    config: { access: 'public' },
    schema: { tags: ['accounts'], summary: 'Whether the first-run setup is still needed', response: { 200: SetupStatus } },
    handler: async () => ({ needed: await setupNeeded(db) }),
  });

  app.post('/api/setup', {
    config: { access: 'public' },
    schema: { tags: ['accounts'], summary: 'First run: create the first organization and its owner', body: SetupRequest, response: { 201: Me } },
    handler: async (req, reply) => {
      const { userId } = await runSetup(db, req.body);
      setSessionCookie(reply, config, await createSession(db, userId, clientOf(req)));
      return reply.code(201).send(await meOf(db, userId));
    },
  });

  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['accounts'], summary: 'Log in with email and password', body: LoginRequest, response: { 200: Me } },
    handler: async (req, reply) => {
      const { userId, token } = await login(db, req.body.email, req.body.password, clientOf(req));
      setSessionCookie(reply, config, token);
      return meOf(db, userId);
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'user' },
    schema: { tags: ['accounts'], summary: 'Log out (ends this session)', response: { 200: Ok } },
    handler: async (req, reply) => {
      await logout(db, requireUser(req).sessionTokenHash);
      clearSessionCookie(reply, config);
      return { ok: true as const };
    },
  });

  app.get('/api/me', {
    config: { access: 'user' },
    schema: { tags: ['accounts'], summary: 'The logged-in user and their organizations', response: { 200: Me } },
    handler: async (req) => meOf(db, requireUser(req).id),
  });

  app.patch('/api/me', {
    config: { access: 'user' },
    schema: { tags: ['accounts'], summary: 'Change your name', body: UpdateMeRequest, response: { 200: Me } },
    handler: async (req) => {
      const user = requireUser(req);
      await updateUser(db, user.id, { name: req.body.name });
      return meOf(db, user.id);
    },
  });

  app.post('/api/me/password', {
    config: { access: 'user' },
    schema: { tags: ['accounts'], summary: 'Change your password (ends your other sessions)', body: ChangePasswordRequest, response: { 200: Ok } },
    handler: async (req) => {
      const user = requireUser(req);
      await changePassword(db, { userId: user.id, tokenHash: user.sessionTokenHash }, req.body.currentPassword, req.body.newPassword);
      return { ok: true as const };
    },
  });

  app.post('/api/orgs', {
    config: { access: 'user' },
    schema: {
      tags: ['organizations'],
      summary: 'Create another organization (you become its owner)',
      body: z.object({ name: z.string().trim().min(1, 'Enter the organization name.').max(120) }),
      response: { 201: Me },
    },
    handler: async (req, reply) => {
      const user = requireUser(req);
      await createOrganization(db, user.id, req.body.name);
      return reply.code(201).send(await meOf(db, user.id));
    },
  });

  const TokenParams = z.object({ token: z.string().min(20).max(100) });

  app.get('/api/invitations/:token', {
    config: { access: 'public' },
    schema: { tags: ['invitations'], summary: 'What an invitation link is for', params: TokenParams, response: { 200: InvitationPreview } },
    handler: async (req) => previewInvitation(db, req.params.token),
  });

  app.post('/api/invitations/:token/accept', {
    config: { access: 'public' },
    schema: {
      tags: ['invitations'],
      summary: 'Accept an invitation (creates the account if needed) and log in',
      params: TokenParams,
      body: AcceptInvitationRequest,
      response: { 200: Me },
    },
    handler: async (req, reply) => {
      const { userId } = await acceptInvitation(db, req.params.token, req.body, req.user?.id);
      if (req.user?.id !== userId) setSessionCookie(reply, config, await createSession(db, userId, clientOf(req)));
      return meOf(db, userId);
    },
  });
}
