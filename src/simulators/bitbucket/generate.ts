import { DAY_MS } from '../core/clock.ts';
import { generatePeople } from '../core/people.ts';
import { randomFor } from '../core/random.ts';
import type { Preset } from '../types.ts';
import type { BbMember, BbProject, BbRepository, BbWorkspace } from './model.ts';

/**
 * The workspace, its members, projects and repositories: small enough to build eagerly even for
 * the large preset. Commit, pull request, pipeline and issue history is built lazily, per
 * repository (see history.ts).
 */

const SHAPE = {
  small: { members: 25, projects: 3, repositories: 12, historyDays: 90, inactiveShare: 0.2, commitRate: [1.5, 4] },
  large: { members: 2000, projects: 40, repositories: 1000, historyDays: 365, inactiveShare: 0.25, commitRate: [0.2, 2.5] },
} as const;

const WORDS = ['payments', 'ledger', 'search', 'gateway', 'mobile', 'web', 'auth', 'billing', 'catalog', 'checkout', 'inventory', 'notifications', 'reports', 'infra', 'docs', 'analytics', 'media', 'orders', 'pricing', 'profile'];
const KINDS = ['service', 'api', 'app', 'worker', 'lib', 'sdk', 'ui', 'tools', 'config', 'jobs'];
const LANGUAGES = ['typescript', 'python', 'go', 'java', 'kotlin', 'ruby', 'terraform'];
const PROJECT_WORDS = ['Platform', 'Payments', 'Growth', 'Mobile', 'Data', 'Infrastructure', 'Core', 'Partners', 'Internal', 'Web'];

export interface BbInitialState {
  workspace: BbWorkspace;
  members: BbMember[];
  projects: BbProject[];
  repositories: BbRepository[];
  historyDays: number;
}

const braced = (uuid: string) => `{${uuid}}`;

export function generateBitbucket(preset: Preset, seed: number, epochMs: number): BbInitialState {
  const shape = SHAPE[preset];
  const r = (label: string, i: number | string = 0) => randomFor(seed, 'bb', label, i);
  const H = shape.historyDays;
  const day = (d: number) => epochMs + d * DAY_MS;
  const slug = preset === 'large' ? 'northwind' : 'acme';
  const workspace: BbWorkspace = { uuid: braced(r('workspace').uuid()), slug, name: preset === 'large' ? 'Northwind Engineering' : 'Acme Engineering', createdOn: day(-H - 400) };

  const people = generatePeople(r('people'), shape.members, preset === 'large' ? 'northwind.example' : 'acme.example');
  const members: BbMember[] = people.map((p, i) => {
    const random = r('member', i);
    const uuid = random.uuid();
    // The first members are the admins who install Tally; they stay active.
    const inactive = i >= 3 && random.chance(shape.inactiveShare);
    const joinedLate = i >= 3 && !inactive && random.chance(0.1);
    const firstActiveDay = joinedLate ? random.int(-H + 5, -10) : -H - random.int(30, 900);
    return {
      index: i,
      uuid: braced(uuid),
      accountId: `712020:${uuid}`,
      displayName: p.name,
      nickname: p.nickname,
      email: p.email,
      permission: i < Math.max(2, Math.round(shape.members * 0.01)) ? 'owner' : 'member',
      addedOn: day(firstActiveDay - random.int(0, 3)),
      firstActiveDay,
      // Inactive members stopped at least six weeks before the epoch; some before the history starts.
      lastActiveDay: inactive ? random.int(-H - 180, -45) : Number.POSITIVE_INFINITY,
      // The second member confirms with a one-time code, the third signs in through SSO.
      signIn: i === 1 ? 'otp' : i === 2 ? 'sso' : 'password',
      otpCode: i === 1 ? String(random.int(100_000, 999_999)) : null,
    };
  });

  const projects: BbProject[] = Array.from({ length: shape.projects }, (_, i) => {
    const random = r('project', i);
    const word = PROJECT_WORDS[i % PROJECT_WORDS.length] as string;
    const name = i < PROJECT_WORDS.length ? word : `${word} ${Math.floor(i / PROJECT_WORDS.length) + 1}`;
    const createdOn = day(-H - random.int(60, 700));
    return {
      uuid: braced(random.uuid()),
      key: `${word.slice(0, 3).toUpperCase()}${i < PROJECT_WORDS.length ? '' : Math.floor(i / PROJECT_WORDS.length) + 1}`,
      name,
      description: `${name} repositories`,
      createdOn,
      updatedOn: createdOn + random.int(0, 50) * DAY_MS,
    };
  });

  const repositories: BbRepository[] = Array.from({ length: shape.repositories }, (_, i) => {
    const random = r('repository', i);
    const base = `${WORDS[i % WORDS.length]}-${KINDS[Math.floor(i / WORDS.length) % KINDS.length]}`;
    const repoSlug = i < WORDS.length * KINDS.length ? base : `${base}-${Math.floor(i / (WORDS.length * KINDS.length)) + 1}`;
    const isNew = random.chance(0.1);
    const firstActiveDay = isNew ? random.int(-H + 3, -7) : -H;
    const abandoned = !isNew && random.chance(0.15);
    const teamSize = random.int(3, preset === 'large' ? 12 : 10);
    return {
      index: i,
      uuid: braced(random.uuid()),
      slug: repoSlug,
      name: repoSlug,
      description: `The ${repoSlug.replace(/-/g, ' ')}`,
      projectKey: (projects[i % projects.length] as BbProject).key,
      language: random.pick(LANGUAGES),
      isPrivate: !random.chance(0.08),
      hasIssues: random.chance(0.4),
      hasPipelines: random.chance(0.7),
      createdOn: isNew ? day(firstActiveDay) - random.int(1, 20) * 3_600_000 : day(-H - random.int(10, 900)),
      firstActiveDay,
      lastActiveDay: abandoned ? random.int(-H + 5, -30) : Number.POSITIVE_INFINITY,
      commitRate: random.between(shape.commitRate[0], shape.commitRate[1]),
      contributors: random.sample(members, teamSize).map((m) => m.index),
      sizeBytes: random.int(200_000, 400_000_000),
    };
  });
  // Every member works somewhere, so no one is inactive by accident of sampling.
  for (const m of members) {
    if (repositories.some((repo) => repo.contributors.includes(m.index))) continue;
    const repo = repositories[r('home', m.index).int(0, repositories.length - 1)] as BbRepository;
    repo.contributors.push(m.index);
  }
  return { workspace, members, projects, repositories, historyDays: H };
}
