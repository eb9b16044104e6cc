import { bitbucketTime as time } from '../core/clock.ts';
import { randomFor } from '../core/random.ts';
import { account, repositoryMini } from './serialize-core.ts';
import type { Links } from './serialize-core.ts';
import { ENVIRONMENTS } from './model.ts';
import type { BbCommit, BbDeployment, BbIssue, BbMember, BbPipeline, BbPullRequest, BbRepository, BbWorkspace } from './model.ts';

/** JSON shapes of commits, pull requests and their activity, pipelines, deployments and issues. */

export interface Scope {
  ws: BbWorkspace;
  repo: BbRepository;
  links: Links;
  member: (index: number) => BbMember;
  now: number;
}

const href = (url: string) => ({ href: url });
const rendered = (raw: string) => ({ raw, markup: 'markdown', html: `<p>${raw.replace(/[<>&]/g, '')}</p>` });
const repoBase = (s: Scope) => `${s.links.api}/repositories/${s.ws.slug}/${s.repo.slug}`;

export function commit(c: BbCommit, s: Scope) {
  const base = repoBase(s);
  return {
    type: 'commit',
    hash: c.hash,
    date: time(c.date),
    author: { type: 'author', raw: c.authorRaw, ...(c.authorIndex !== null ? { user: account(s.member(c.authorIndex), s.links) } : {}) },
    message: `${c.message}\n`,
    summary: rendered(c.message),
    parents: c.parent ? [{ type: 'commit', hash: c.parent, links: { self: href(`${base}/commit/${c.parent}`), html: href(`${s.links.web}/${s.ws.slug}/${s.repo.slug}/commits/${c.parent}`) } }] : [],
    repository: repositoryMini(s.repo, s.ws, s.links),
    links: {
      self: href(`${base}/commit/${c.hash}`),
      html: href(`${s.links.web}/${s.ws.slug}/${s.repo.slug}/commits/${c.hash}`),
      comments: href(`${base}/commit/${c.hash}/comments`),
      statuses: href(`${base}/commit/${c.hash}/statuses`),
    },
  };
}

/** A pull request as it stands at `now`: its state, last update and counts follow its lifecycle. */
export function pullRequestView(pr: BbPullRequest, now: number, bumpedAt: number | null) {
  const closed = pr.closedOn !== null && pr.closedOn <= now;
  const approvals = pr.approvals.filter((a) => a.at <= now);
  const comments = pr.comments.filter((c) => c.at <= now);
  const updatedOn = Math.max(pr.createdOn, ...approvals.map((a) => a.at), ...comments.map((c) => c.at), closed ? (pr.closedOn as number) : 0, bumpedAt ?? 0);
  return { state: closed ? (pr.finalState as 'MERGED' | 'DECLINED') : ('OPEN' as const), closed, approvals, comments, updatedOn };
}

function prMini(pr: BbPullRequest, s: Scope) {
  return {
    type: 'pullrequest',
    id: pr.id,
    title: pr.title,
    links: { self: href(`${repoBase(s)}/pullrequests/${pr.id}`), html: href(`${s.links.web}/${s.ws.slug}/${s.repo.slug}/pull-requests/${pr.id}`) },
  };
}

export function pullRequest(pr: BbPullRequest, s: Scope, bumpedAt: number | null) {
  const v = pullRequestView(pr, s.now, bumpedAt);
  const self = `${repoBase(s)}/pullrequests/${pr.id}`;
  const repo = repositoryMini(s.repo, s.ws, s.links);
  const description = `Changes for ${pr.title.toLowerCase()}.`;
  return {
    type: 'pullrequest',
    id: pr.id,
    title: pr.title,
    description,
    summary: rendered(description),
    rendered: { title: rendered(pr.title), description: rendered(description) },
    state: v.state,
    author: account(s.member(pr.authorIndex), s.links),
    source: { repository: repo, branch: { name: pr.sourceBranch }, commit: { hash: pr.sourceHash.slice(0, 12) } },
    destination: { repository: repo, branch: { name: 'main' }, commit: { hash: pr.mergeHash.slice(12, 24) } },
    ...(v.state === 'MERGED' ? { merge_commit: { hash: pr.mergeHash.slice(0, 12) } } : {}),
    comment_count: v.comments.length,
    task_count: 0,
    close_source_branch: true,
    ...(v.closed ? { closed_by: account(s.member(v.state === 'MERGED' ? pr.authorIndex : (pr.reviewers[0] ?? pr.authorIndex)), s.links) } : {}),
    reason: '',
    created_on: time(pr.createdOn),
    updated_on: time(v.updatedOn),
    reviewers: pr.reviewers.map((i) => account(s.member(i), s.links)),
    participants: pr.reviewers.map((i) => {
      const approval = v.approvals.find((a) => a.memberIndex === i);
      return { type: 'participant', user: account(s.member(i), s.links), role: 'REVIEWER', approved: approval !== undefined, ...(approval ? { state: 'approved', participated_on: time(approval.at) } : {}) };
    }),
    draft: false,
    queued: false,
    links: {
      self: href(self),
      html: href(`${s.links.web}/${s.ws.slug}/${s.repo.slug}/pull-requests/${pr.id}`),
      commits: href(`${self}/commits`),
      approve: href(`${self}/approve`),
      diff: href(`${self}/diff`),
      diffstat: href(`${self}/diffstat`),
      comments: href(`${self}/comments`),
      activity: href(`${self}/activity`),
      merge: href(`${self}/merge`),
      decline: href(`${self}/decline`),
    },
  };
}

/**
 * Activity entries, newest first: the opening and closing updates, approvals and comments. The
 * document gives no schema for these lists; the shape follows its example (an `update`,
 * `approval` or `comment` object beside a short `pull_request`).
 */
export function pullRequestActivity(pr: BbPullRequest, s: Scope): Array<{ at: number; entry: Record<string, unknown> }> {
  const v = pullRequestView(pr, s.now, null);
  const mini = prMini(pr, s);
  const update = (state: string, at: number, by: number) => ({
    at,
    entry: { update: { state, title: pr.title, description: '', reason: '', author: account(s.member(by), s.links), date: time(at), source: { branch: { name: pr.sourceBranch } }, destination: { branch: { name: 'main' } } }, pull_request: mini },
  });
  const out: Array<{ at: number; entry: Record<string, unknown> }> = [update('OPEN', pr.createdOn, pr.authorIndex)];
  for (const a of v.approvals) out.push({ at: a.at, entry: { approval: { date: time(a.at), user: account(s.member(a.memberIndex), s.links), pullrequest: mini }, pull_request: mini } });
  for (const c of v.comments)
    out.push({
      at: c.at,
      entry: {
        comment: { id: c.id, type: 'pullrequest_comment', created_on: time(c.at), updated_on: time(c.at), content: rendered('Looks good, one nit.'), user: account(s.member(c.memberIndex), s.links), deleted: false, pullrequest: mini, links: { self: href(`${repoBase(s)}/pullrequests/${pr.id}/comments/${c.id}`) } },
        pull_request: mini,
      },
    });
  if (v.closed) out.push(update(v.state, pr.closedOn as number, v.state === 'MERGED' ? pr.authorIndex : (pr.reviewers[0] ?? pr.authorIndex)));
  return out;
}

export function pipelineCompletedAt(p: BbPipeline): number {
  return p.createdOn + p.durationSeconds * 1000;
}

export function pipeline(p: BbPipeline, s: Scope) {
  const done = pipelineCompletedAt(p) <= s.now;
  const resultType = { SUCCESSFUL: 'pipeline_state_completed_successful', FAILED: 'pipeline_state_completed_failed', STOPPED: 'pipeline_state_completed_stopped' }[p.result];
  return {
    type: 'pipeline',
    uuid: p.uuid,
    build_number: p.buildNumber,
    creator: account(s.member(p.creatorIndex), s.links),
    repository: repositoryMini(s.repo, s.ws, s.links),
    target: {
      type: 'pipeline_ref_target',
      ref_type: 'branch',
      ref_name: p.branch,
      commit: { type: 'commit', hash: p.commitHash },
      selector: p.branch === 'main' ? { type: 'branches', pattern: 'main' } : { type: 'default' },
    },
    trigger: p.trigger === 'push' ? { type: 'pipeline_trigger_push', name: 'PUSH' } : { type: 'pipeline_trigger_manual', name: 'MANUAL' },
    state: done
      ? { type: 'pipeline_state_completed', name: 'COMPLETED', result: { type: resultType, name: p.result } }
      : { type: 'pipeline_state_in_progress', name: 'IN_PROGRESS', stage: { type: 'pipeline_state_in_progress_running', name: 'RUNNING' } },
    created_on: time(p.createdOn),
    ...(done ? { completed_on: time(pipelineCompletedAt(p)) } : {}),
    // Build minutes count once the build has finished.
    build_seconds_used: done ? p.durationSeconds : 0,
    run_number: 1,
    configuration_sources: [{ source: 'bitbucket-pipelines.yml', uri: `${repoBase(s)}/src/${p.commitHash}/bitbucket-pipelines.yml` }],
  };
}

function environmentUuid(seed: number, repo: BbRepository, index: number): string {
  return `{${randomFor(seed, 'bb', 'environment', repo.index, index).uuid()}}`;
}

export function environment(seed: number, index: number, s: Scope) {
  const name = ENVIRONMENTS[index] as string;
  return {
    type: 'deployment_environment',
    uuid: environmentUuid(seed, s.repo, index),
    name,
    slug: name.toLowerCase(),
    rank: index,
    environment_type: { type: 'deployment_environment_type', name, rank: index },
    lock: { type: 'deployment_environment_lock_open', name: 'OPEN' },
    restrictions: { type: 'deployment_restrictions_configuration', admin_only: index === 2 },
    hidden: false,
    deployment_gate_enabled: false,
  };
}

/** Deployments start two minutes after the build that produced them and take five minutes. */
export function deploymentStartedAt(d: BbDeployment): number {
  return pipelineCompletedAt(d.pipeline) + 120_000;
}

export function deployment(seed: number, d: BbDeployment, s: Scope) {
  const started = deploymentStartedAt(d);
  const finished = started + 300_000;
  const deployer = account(s.member(d.pipeline.creatorIndex), s.links);
  const url = `${s.links.web}/${s.ws.slug}/${s.repo.slug}/pipelines/results/${d.pipeline.buildNumber}`;
  return {
    type: 'deployment',
    uuid: d.uuid,
    state:
      finished <= s.now
        ? { type: 'deployment_state_completed', name: 'COMPLETED', url, deployer, status: { type: 'deployment_state_completed_status_successful', name: 'SUCCESSFUL' }, start_date: time(started), completion_date: time(finished) }
        : { type: 'deployment_state_in_progress', name: 'IN_PROGRESS', url, deployer, start_date: time(started) },
    environment: { type: 'deployment_environment', uuid: environmentUuid(seed, s.repo, d.environmentIndex), name: ENVIRONMENTS[d.environmentIndex] },
    release: { type: 'deployment_release', uuid: d.pipeline.uuid, name: `#${d.pipeline.buildNumber}`, url, commit: { type: 'commit', hash: d.pipeline.commitHash }, created_on: time(pipelineCompletedAt(d.pipeline)) },
  };
}

export function issueView(issue: BbIssue, now: number, bumpedAt: number | null) {
  const resolved = issue.resolvedOn !== null && issue.resolvedOn <= now;
  const updates = issue.updates.filter((u) => u <= now);
  const updatedOn = Math.max(issue.createdOn, ...updates, resolved ? (issue.resolvedOn as number) : 0, bumpedAt ?? 0);
  return { state: resolved ? (issue.finalState as string) : updates.length > 0 ? 'open' : 'new', updatedOn, editedOn: updates.at(-1) ?? null };
}

export function issue(i: BbIssue, s: Scope, bumpedAt: number | null) {
  const v = issueView(i, s.now, bumpedAt);
  const self = `${repoBase(s)}/issues/${i.id}`;
  return {
    type: 'issue',
    id: i.id,
    repository: repositoryMini(s.repo, s.ws, s.links),
    title: i.title,
    reporter: account(s.member(i.reporterIndex), s.links),
    ...(i.assigneeIndex !== null ? { assignee: account(s.member(i.assigneeIndex), s.links) } : {}),
    created_on: time(i.createdOn),
    updated_on: time(v.updatedOn),
    ...(v.editedOn !== null ? { edited_on: time(v.editedOn) } : {}),
    state: v.state,
    kind: i.kind,
    priority: i.priority,
    votes: 0,
    content: rendered(`Reported: ${i.title}.`),
    links: {
      self: href(self),
      html: href(`${s.links.web}/${s.ws.slug}/${s.repo.slug}/issues/${i.id}`),
      comments: href(`${self}/comments`),
      attachments: href(`${self}/attachments`),
      watch: href(`${self}/watch`),
      vote: href(`${self}/vote`),
    },
  };
}
