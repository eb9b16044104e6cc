import { z } from 'zod';

/**
 * Bitbucket Cloud records as Tally reads them (shapes from Atlassian's OpenAPI document). Every object is
 * loose: fields Tally does not read pass through untouched, and a new field never fails a record. No record
 * carries an email address: the API gives none (commit authors' raw `Name <email>` is the only source).
 */

/** A user as nested in other records. Deleted or anonymous users can be missing where one is expected. */
export const User = z.looseObject({
  uuid: z.string(),
  display_name: z.string().optional(),
  nickname: z.string().optional(),
  account_id: z.string().optional(),
});
export type User = z.infer<typeof User>;

const WorkspaceRef = z.looseObject({ uuid: z.string(), slug: z.string() });
export const RepositoryRef = z.looseObject({ uuid: z.string(), full_name: z.string() });

export const WorkspaceAccess = z.looseObject({
  administrator: z.boolean(),
  workspace: WorkspaceRef,
});

export const Member = z.looseObject({ user: User, workspace: WorkspaceRef });

export const WorkspacePermission = z.looseObject({
  /** `owner`, `collaborator` or `member`. */
  permission: z.string(),
  user: User,
  workspace: WorkspaceRef,
  added_on: z.string().optional(),
  last_accessed: z.string().optional(),
});

export const Project = z.looseObject({
  uuid: z.string(),
  key: z.string(),
  name: z.string(),
  created_on: z.string().optional(),
  updated_on: z.string().optional(),
});

export const Repository = z.looseObject({
  uuid: z.string(),
  full_name: z.string(),
  slug: z.string(),
  name: z.string(),
  created_on: z.string(),
  /** Moves when something is pushed: children of an unmoved repository are not read again. */
  updated_on: z.string(),
  /** Bytes. */
  size: z.number().optional(),
  language: z.string().optional(),
  has_issues: z.boolean().optional(),
  is_private: z.boolean().optional(),
  project: z.looseObject({ uuid: z.string(), key: z.string() }).optional(),
  workspace: WorkspaceRef,
});

export const Commit = z.looseObject({
  hash: z.string(),
  date: z.string(),
  /** `raw` is the commit's `Name <email>`; `user` only when Bitbucket linked that email to an account. */
  author: z.looseObject({ raw: z.string(), user: User.optional() }),
  repository: RepositoryRef,
});

export const PullRequest = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  state: z.string(),
  author: User.nullable().optional(),
  created_on: z.string(),
  updated_on: z.string(),
  destination: z.looseObject({ repository: RepositoryRef }),
  closed_by: User.nullable().optional(),
  comment_count: z.number().int().optional(),
});

const Dated = { date: z.string() };

/** One entry of a repository's pull request activity log: an update, an approval, a change request or a comment. */
export const PullRequestActivity = z.looseObject({
  /** Added by the stream: the log does not name its repository. */
  repository: RepositoryRef,
  pull_request: z.looseObject({ id: z.number().int() }),
  update: z.looseObject({ ...Dated, state: z.string(), author: User.nullable().optional() }).optional(),
  approval: z.looseObject({ ...Dated, user: User }).optional(),
  changes_requested: z.looseObject({ ...Dated, user: User }).optional(),
  comment: z.looseObject({ id: z.number().int(), created_on: z.string(), user: User.nullable().optional() }).optional(),
});

export const Pipeline = z.looseObject({
  uuid: z.string(),
  build_number: z.number().int(),
  /** Absent for scheduled runs. */
  creator: User.nullable().optional(),
  created_on: z.string(),
  completed_on: z.string().optional(),
  /** Build minutes spent, in seconds; 0 until the run finishes. */
  build_seconds_used: z.number().int().nonnegative(),
  trigger: z.looseObject({ type: z.string(), name: z.string().optional() }),
  state: z.looseObject({ name: z.string(), result: z.looseObject({ name: z.string() }).optional() }),
  repository: RepositoryRef,
});

export const Deployment = z.looseObject({
  /** Added by the stream: deployments do not name their repository. */
  repository: RepositoryRef,
  uuid: z.string(),
  state: z.looseObject({ name: z.string(), deployer: User.nullable().optional(), start_date: z.string().optional(), completion_date: z.string().optional() }),
  environment: z.looseObject({ uuid: z.string(), name: z.string().optional() }),
});

export const Environment = z.looseObject({
  /** Added by the stream: environments do not name their repository. */
  repository: RepositoryRef,
  uuid: z.string(),
  name: z.string(),
  environment_type: z.looseObject({ name: z.string() }).optional(),
});

export const Issue = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  state: z.string(),
  kind: z.string().optional(),
  priority: z.string().optional(),
  reporter: User.nullable().optional(),
  assignee: User.nullable().optional(),
  created_on: z.string(),
  updated_on: z.string(),
  repository: RepositoryRef,
});
