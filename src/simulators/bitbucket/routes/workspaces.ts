import { DAY_MS, HOUR_MS } from '../../core/clock.ts';
import { hashLabels } from '../../core/random.ts';
import { ok } from '../../core/reply.ts';
import type { BbRequestContext, BbRoute } from '../api.ts';
import { bbError } from '../errors.ts';
import { filterAndSort, readJsonPath } from '../listing.ts';
import type { BbMember } from '../model.ts';
import { DEFAULT_PAGING, numberedPage } from '../paging.ts';
import * as json from '../serialize-core.ts';
import type { BitbucketWorld } from '../world.ts';

/** The caller, their workspaces, and the workspace's members, permissions and projects. */

const isAdmin = (ctx: BbRequestContext) => ctx.caller.member === null || ctx.caller.member.permission === 'owner';

function members(ctx: BbRequestContext): BbMember[] {
  return ctx.world.state.members.filter((m) => m.addedOn <= ctx.now);
}

/**
 * When the member last did anything: an active member comes by once a day at their own time of day (so the
 * value moves once a day, not with every request), a departed one last came on their last day.
 */
function lastAccessed(world: BitbucketWorld, m: BbMember, now: number): number {
  if (m.lastActiveDay === Number.POSITIVE_INFINITY) {
    const timeOfDay = hashLabels(world.seed, m.uuid) % DAY_MS;
    return now - ((((now - timeOfDay) % DAY_MS) + DAY_MS) % DAY_MS);
  }
  return world.clock.epochMs + m.lastActiveDay * DAY_MS + 17 * HOUR_MS;
}

const EMAIL_FILTER = /user\.email\s+IN\s*\(/i;
const MAX_EMAILS = 90;

export function workspaceRoutes(world: BitbucketWorld): BbRoute[] {
  const ws = world.workspace;
  const updatedOn = () => Math.max(ws.createdOn, ...world.state.members.map((m) => m.addedOn).filter((t) => t <= world.clock.now()));
  return [
    {
      documentPath: '/user',
      handle: (ctx) => ok(ctx.caller.member ? json.currentUser(ctx.caller.member, ctx.links) : json.botAccount(ws, ctx.links)),
      examples: () => ['/user'],
    },
    {
      documentPath: '/user/workspaces',
      handle(ctx) {
        const admin = ctx.query.administrator;
        if (admin !== undefined && admin !== 'true' && admin !== 'false') return bbError(400, 'administrator must be true or false');
        const records = [json.workspaceAccess(ws, isAdmin(ctx), ctx.links)].filter((r) => admin === undefined || String(r.administrator) === admin);
        const listed = filterAndSort(records, ctx.query, { fields: ['workspace.slug', 'workspace.uuid', 'administrator'], defaultSort: null });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => ['/user/workspaces', '/user/workspaces?administrator=true', `/user/workspaces?q=workspace.slug%3D%22${ws.slug}%22`],
    },
    {
      documentPath: '/workspaces',
      handle(ctx) {
        const role = ctx.query.role;
        const caller = ctx.caller.member;
        const visible = !role || role === 'member' || (role === 'owner' && (caller === null || caller.permission === 'owner'));
        const records = visible ? [json.workspace(ws, updatedOn(), ctx.links)] : [];
        const listed = filterAndSort(records, ctx.query, { fields: ['slug', 'uuid', 'name', 'is_private', 'created_on', 'updated_on'], defaultSort: null });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => ['/workspaces', '/workspaces?role=owner', '/workspaces?sort=created_on'],
    },
    {
      documentPath: '/workspaces/{workspace}',
      handle: (ctx) => ok(json.workspace(ws, updatedOn(), ctx.links)),
      examples: () => [`/workspaces/${ws.slug}`, '/workspaces/no-such-workspace'],
    },
    {
      documentPath: '/workspaces/{workspace}/members',
      // Filtering by email is for administrators and workspace access tokens; the addresses filtered
      // by (and only those) can be added to the response with `fields=+values.user.email`.
      handle(ctx) {
        const q = typeof ctx.query.q === 'string' ? ctx.query.q : '';
        const byEmail = EMAIL_FILTER.test(q);
        if (byEmail && !isAdmin(ctx)) return bbError(403, 'Only workspace administrators can filter members by email address.');
        if (byEmail && (q.match(/"/g) ?? []).length / 2 > MAX_EMAILS) return bbError(400, `At most ${MAX_EMAILS} email addresses can be queried at a time.`);
        const withEmail = byEmail && String(ctx.query.fields ?? '').includes('values.user.email');
        const listed = filterAndSort(members(ctx), ctx.query, {
          fields: ['user.uuid', 'user.account_id', 'user.display_name', 'user.nickname', ...(byEmail ? ['user.email'] : [])],
          defaultSort: null,
          read: (m, field) => (field === 'user.email' ? m.email : readJsonPath({ user: json.account(m, ctx.links) }, field)),
        });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (m) => json.membership(m, ws, ctx.links, null, withEmail ? m.email : null)));
      },
      examples: () => {
        const emails = world.state.members.slice(3, 5).map((m) => `%22${encodeURIComponent(m.email)}%22`).join(',');
        return [`/workspaces/${ws.slug}/members`, `/workspaces/${ws.slug}/members?pagelen=100`, `/workspaces/${ws.slug}/members?page=2`, `/workspaces/${ws.slug}/members?q=user.email%20IN%20(${emails})&fields=%2Bvalues.user.email`];
      },
    },
    {
      documentPath: '/workspaces/{workspace}/permissions',
      handle(ctx) {
        const records = members(ctx).map((m) => json.membership(m, ws, ctx.links, { lastAccessed: lastAccessed(world, m, ctx.now) }, null));
        const listed = filterAndSort(records, ctx.query, { fields: ['permission', 'user.uuid', 'user.account_id', 'user.display_name', 'added_on', 'last_accessed'], defaultSort: null });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => [`/workspaces/${ws.slug}/permissions`, `/workspaces/${ws.slug}/permissions?q=permission%3D%22owner%22`, `/workspaces/${ws.slug}/permissions?q=nonsense%3D1`],
    },
    {
      documentPath: '/workspaces/{workspace}/projects',
      handle(ctx) {
        const records = world.state.projects.filter((p) => p.createdOn <= ctx.now).map((p) => json.project(p, ws, ctx.links));
        const listed = filterAndSort(records, ctx.query, { fields: ['key', 'name', 'uuid', 'created_on', 'updated_on'], defaultSort: null });
        return ok(numberedPage(listed, ctx.query, ctx.url, DEFAULT_PAGING, (r) => r));
      },
      examples: () => [`/workspaces/${ws.slug}/projects`, `/workspaces/${ws.slug}/projects?sort=-created_on&pagelen=2`],
    },
  ];
}
