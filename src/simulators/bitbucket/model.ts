/** The simulated Bitbucket Cloud workspace. Days are indexes relative to the epoch (day 0 starts at it). */

export interface BbWorkspace {
  uuid: string;
  slug: string;
  name: string;
  createdOn: number;
}

export interface BbMember {
  index: number;
  /** With braces, as Bitbucket writes UUIDs: `{0f4c...}`. */
  uuid: string;
  accountId: string;
  displayName: string;
  nickname: string;
  /** Never shown by the members API; commits carry it in their raw author. */
  email: string;
  permission: 'owner' | 'member';
  addedOn: number;
  /** First and last day this person does anything (last: Infinity while still active). */
  firstActiveDay: number;
  lastActiveDay: number;
  signIn: 'password' | 'otp' | 'sso';
  otpCode: string | null;
}

export interface BbProject {
  uuid: string;
  key: string;
  name: string;
  description: string;
  createdOn: number;
  updatedOn: number;
}

export interface BbRepository {
  index: number;
  uuid: string;
  slug: string;
  name: string;
  description: string;
  projectKey: string;
  language: string;
  isPrivate: boolean;
  hasIssues: boolean;
  hasPipelines: boolean;
  createdOn: number;
  /** Day the repository got its first commit, and the last day anyone works in it. */
  firstActiveDay: number;
  lastActiveDay: number;
  /** Mean commits per weekday. */
  commitRate: number;
  /** Member indexes, the first ones commit most. */
  contributors: number[];
  sizeBytes: number;
}

export interface BbCommit {
  hash: string;
  date: number;
  /** The workspace member whose account the commit email is linked to, if any. */
  authorIndex: number | null;
  authorRaw: string;
  message: string;
  parent: string | null;
}

export interface BbPullRequest {
  id: number;
  title: string;
  authorIndex: number;
  createdOn: number;
  /** When it was merged or declined, if it ever is. */
  closedOn: number | null;
  finalState: 'MERGED' | 'DECLINED' | null;
  reviewers: number[];
  /** Reviewer approvals and comments: who and when. */
  approvals: Array<{ memberIndex: number; at: number }>;
  comments: Array<{ id: number; memberIndex: number; at: number }>;
  sourceBranch: string;
  sourceHash: string;
  mergeHash: string;
}

export interface BbPipeline {
  uuid: string;
  buildNumber: number;
  creatorIndex: number;
  createdOn: number;
  durationSeconds: number;
  result: 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
  trigger: 'push' | 'manual';
  branch: string;
  commitHash: string;
}

export interface BbDeployment {
  uuid: string;
  environmentIndex: number;
  pipeline: BbPipeline;
}

export interface BbIssue {
  id: number;
  title: string;
  reporterIndex: number;
  assigneeIndex: number | null;
  createdOn: number;
  /** Edits and comments after creation. */
  updates: number[];
  resolvedOn: number | null;
  finalState: 'resolved' | 'closed' | 'wontfix' | 'duplicate' | null;
  kind: 'bug' | 'enhancement' | 'proposal' | 'task';
  priority: 'trivial' | 'minor' | 'major' | 'critical' | 'blocker';
}

export const ENVIRONMENTS = ['Test', 'Staging', 'Production'] as const;
