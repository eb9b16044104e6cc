import { bitbucketTime as time } from '../core/clock.ts';
import type { BbMember, BbProject, BbRepository, BbWorkspace } from './model.ts';

/**
 * JSON shapes of Bitbucket Cloud accounts, workspaces, projects and repositories. Nested objects
 * carry `type`, the discriminator the document's schemas are chosen by. Link objects hold only the
 * keys the document allows (its link objects forbid others).
 */

export interface Links {
  /** `http://host/bitbucket/2.0`: where the API is (api.bitbucket.org/2.0). */
  api: string;
  /** `http://host/bitbucket`: the web UI (bitbucket.org). */
  web: string;
}

const href = (url: string) => ({ href: url });
const avatar = (links: Links, name: string) => href(`${links.web}/account/${encodeURIComponent(name)}/avatar/`);

export function account(m: BbMember, links: Links) {
  return {
    type: 'user',
    uuid: m.uuid,
    account_id: m.accountId,
    nickname: m.nickname,
    display_name: m.displayName,
    links: {
      self: href(`${links.api}/users/${encodeURIComponent(m.uuid)}`),
      html: href(`${links.web}/${encodeURIComponent(m.uuid)}/`),
      avatar: avatar(links, m.nickname),
    },
  };
}

/** `GET /user`: the caller's own account, with the fields only it shows. */
export function currentUser(m: BbMember, links: Links) {
  return {
    ...account(m, links),
    created_on: time(m.addedOn),
    account_status: 'active',
    has_2fa_enabled: m.signIn === 'otp',
    is_staff: false,
    links: { ...account(m, links).links, repositories: href(`${links.api}/repositories/${encodeURIComponent(m.uuid)}`) },
  };
}

/** The identity behind a workspace access token: a bot account named after the workspace. */
export function botAccount(ws: BbWorkspace, links: Links) {
  return {
    type: 'user',
    uuid: `{${ws.uuid.slice(1, 9)}-0000-4000-8000-000000000000}`,
    account_id: `557058:${ws.uuid.slice(1, -1)}`,
    nickname: `${ws.slug}-access-token`,
    display_name: `${ws.name} access token`,
    links: { self: href(`${links.api}/user`), html: href(`${links.web}/${ws.slug}/`), avatar: avatar(links, ws.slug) },
    created_on: time(ws.createdOn),
    account_status: 'active',
    is_staff: false,
  };
}

export function workspace(ws: BbWorkspace, updatedOn: number, links: Links) {
  return {
    type: 'workspace',
    uuid: ws.uuid,
    name: ws.name,
    slug: ws.slug,
    is_private: true,
    is_privacy_enforced: false,
    forking_mode: 'allow_forks',
    created_on: time(ws.createdOn),
    updated_on: time(updatedOn),
    links: {
      avatar: avatar(links, ws.slug),
      html: href(`${links.web}/${ws.slug}/`),
      members: href(`${links.api}/workspaces/${ws.slug}/members`),
      owners: href(`${links.api}/workspaces/${ws.slug}/members?q=permission%3D%22owner%22`),
      projects: href(`${links.api}/workspaces/${ws.slug}/projects`),
      repositories: href(`${links.api}/repositories/${ws.slug}`),
      snippets: href(`${links.api}/snippets/${ws.slug}`),
      self: href(`${links.api}/workspaces/${ws.slug}`),
    },
  };
}

/** The short workspace object nested in memberships, projects and repositories. */
function workspaceMini(ws: BbWorkspace, links: Links) {
  return {
    type: 'workspace',
    uuid: ws.uuid,
    name: ws.name,
    slug: ws.slug,
    links: { avatar: avatar(links, ws.slug), html: href(`${links.web}/${ws.slug}/`), self: href(`${links.api}/workspaces/${ws.slug}`) },
  };
}

export function workspaceAccess(ws: BbWorkspace, administrator: boolean, links: Links) {
  return {
    type: 'workspace_access',
    administrator,
    workspace: { type: 'workspace_base', uuid: ws.uuid, slug: ws.slug, links: { avatar: avatar(links, ws.slug), self: href(`${links.api}/workspaces/${ws.slug}`) } },
  };
}

export function membership(m: BbMember, ws: BbWorkspace, links: Links, withPermission: { lastAccessed: number | null } | null, email: string | null) {
  const user = email ? { ...account(m, links), email } : account(m, links);
  return {
    type: 'workspace_membership',
    links: { self: href(`${links.api}/workspaces/${ws.slug}/members/${encodeURIComponent(m.uuid)}`) },
    user,
    workspace: workspaceMini(ws, links),
    ...(withPermission
      ? {
          permission: m.permission,
          added_on: time(m.addedOn),
          ...(withPermission.lastAccessed !== null ? { last_accessed: time(withPermission.lastAccessed) } : {}),
        }
      : {}),
  };
}

export function project(p: BbProject, ws: BbWorkspace, links: Links) {
  return {
    type: 'project',
    uuid: p.uuid,
    key: p.key,
    name: p.name,
    description: p.description,
    is_private: true,
    created_on: time(p.createdOn),
    updated_on: time(p.updatedOn),
    has_publicly_visible_repos: false,
    workspace: workspaceMini(ws, links),
    links: { html: href(`${links.web}/${ws.slug}/workspace/projects/${p.key}`), avatar: href(`${links.web}/${ws.slug}/workspace/projects/${p.key}/avatar/32`) },
  };
}

/** The short repository object nested in commits, pull requests and pipelines. */
export function repositoryMini(r: BbRepository, ws: BbWorkspace, links: Links) {
  return {
    type: 'repository',
    full_name: `${ws.slug}/${r.slug}`,
    name: r.name,
    uuid: r.uuid,
    links: {
      self: href(`${links.api}/repositories/${ws.slug}/${r.slug}`),
      html: href(`${links.web}/${ws.slug}/${r.slug}`),
      avatar: href(`${links.web}/${ws.slug}/${r.slug}/avatar/32/`),
    },
  };
}

export function repository(r: BbRepository, ws: BbWorkspace, p: BbProject, updatedOn: number, links: Links) {
  const base = `${links.api}/repositories/${ws.slug}/${r.slug}`;
  return {
    ...repositoryMini(r, ws, links),
    slug: r.slug,
    description: r.description,
    scm: 'git',
    is_private: r.isPrivate,
    owner: { type: 'team', uuid: ws.uuid, display_name: ws.name, username: ws.slug, links: { self: href(`${links.api}/workspaces/${ws.slug}`), html: href(`${links.web}/${ws.slug}/`), avatar: avatar(links, ws.slug) } },
    workspace: workspaceMini(ws, links),
    project: { type: 'project', key: p.key, uuid: p.uuid, name: p.name, links: { html: href(`${links.web}/${ws.slug}/workspace/projects/${p.key}`), avatar: href(`${links.web}/${ws.slug}/workspace/projects/${p.key}/avatar/32`) } },
    fork_policy: 'no_public_forks',
    created_on: time(r.createdOn),
    updated_on: time(updatedOn),
    size: r.sizeBytes,
    language: r.language,
    has_issues: r.hasIssues,
    has_wiki: false,
    mainbranch: { type: 'branch', name: 'main' },
    links: {
      ...repositoryMini(r, ws, links).links,
      pullrequests: href(`${base}/pullrequests`),
      commits: href(`${base}/commits`),
      forks: href(`${base}/forks`),
      watchers: href(`${base}/watchers`),
      downloads: href(`${base}/downloads`),
      hooks: href(`${base}/hooks`),
      // Bitbucket writes the SSH URL in scp form (git@bitbucket.org:ws/repo.git); the document types
      // it as a URI, so the simulator sends the equivalent ssh:// URL.
      clone: [
        { name: 'https', href: `${links.web}/${ws.slug}/${r.slug}.git` },
        { name: 'ssh', href: `ssh://git@bitbucket.org/${ws.slug}/${r.slug}.git` },
      ],
    },
  };
}
