import { defineStream } from '../../../sync/types.ts';
import { Member, Project, WorkspaceAccess, WorkspacePermission } from '../schemas.ts';
import { pages, userAccount, workspaceSlug } from './support.ts';

/** The workspaces the connected user can see; never the deprecated cross-workspace `/workspaces`. */
export const workspaces = defineStream({
  name: 'workspaces',
  provider: 'bitbucket',
  path: '/user/workspaces',
  pagination: pages,
  schema: WorkspaceAccess,
  id: (w) => w.workspace.uuid,
});

/** Members (inactive ones included, as Bitbucket lists them); no emails, the API gives none. */
export const members = defineStream({
  name: 'members',
  schedule: 'daily',
  provider: 'bitbucket',
  parent: 'workspaces',
  path: (ws) => `/workspaces/${workspaceSlug(ws)}/members`,
  pagination: pages,
  schema: Member,
  id: (m) => `${m.workspace.uuid}:${m.user.uuid}`,
  accounts: (m) => [userAccount(m.user)],
});

/** Each member's workspace permission (`owner`, `collaborator`, `member`), with when they were added and last seen. */
export const workspacePermissions = defineStream({
  name: 'workspace_permissions',
  schedule: 'daily',
  provider: 'bitbucket',
  parent: 'workspaces',
  path: (ws) => `/workspaces/${workspaceSlug(ws)}/permissions`,
  pagination: pages,
  schema: WorkspacePermission,
  id: (p) => `${p.workspace.uuid}:${p.user.uuid}`,
  accounts: (p) => [userAccount(p.user, { role: p.permission })],
});

export const projects = defineStream({
  name: 'projects',
  schedule: 'daily',
  provider: 'bitbucket',
  parent: 'workspaces',
  path: (ws) => `/workspaces/${workspaceSlug(ws)}/projects`,
  pagination: pages,
  schema: Project,
  id: (p) => p.uuid,
});
