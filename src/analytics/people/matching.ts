/**
 * How an account without a verified email may be the same human as a person already in the directory.
 * Pure functions: the table-driven tests in test/analytics/people-matching.test.ts pin them down.
 */

export type Candidate = { personId: string; displayName: string; primaryEmail: string | null; names: string[]; nicknames: string[] };
export type AccountFacts = { name: string | null; email: string | null; nickname: string | null };
export type Proposal = { personId: string; confidence: number; reason: string };

/** Lower case, accents and punctuation gone, single spaces: "José  O'Neil" -> "jose oneil". */
export function normalizeName(name: string | null | undefined): string {
  if (!name) return '';
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/['’.]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

const compact = (s: string) => s.replace(/ /g, '');
const localPart = (email: string | null) => (email ? normalizeName(email.split('@')[0]!.replace(/[._-]+/g, ' ')) : '');

/**
 * Scores one candidate: 0.9 the same email (unverified on this side), 0.8 the same full name (two words or
 * more: a lone first name is too common), 0.6 the nickname equals the person's email local part or their
 * name written together; 0 when nothing matches.
 */
export function score(account: AccountFacts, candidate: Candidate): Proposal | null {
  const email = account.email?.toLowerCase() ?? null;
  if (email && candidate.primaryEmail && email === candidate.primaryEmail.toLowerCase()) return { personId: candidate.personId, confidence: 0.9, reason: `same email address ${email} (not verified by the provider)` };
  const name = normalizeName(account.name);
  const names = [candidate.displayName, ...candidate.names].map(normalizeName).filter(Boolean);
  if (name.includes(' ') && names.includes(name)) return { personId: candidate.personId, confidence: 0.8, reason: `same name "${account.name}"` };
  const nick = compact(normalizeName(account.nickname));
  if (nick.length >= 3) {
    const targets = new Set([...names.map(compact), compact(localPart(candidate.primaryEmail)), ...candidate.nicknames.map((n) => compact(normalizeName(n)))]);
    if (targets.has(nick)) return { personId: candidate.personId, confidence: 0.6, reason: `nickname "${account.nickname}" matches` };
  }
  const accountLocal = compact(localPart(email));
  if (accountLocal.length >= 3 && names.map(compact).includes(accountLocal)) return { personId: candidate.personId, confidence: 0.6, reason: `email ${email} matches the name` };
  return null;
}

/** The best proposals for an account among the candidates, highest confidence first (at most `max`). */
export function proposalsFor(account: AccountFacts, candidates: Candidate[], max = 3): Proposal[] {
  return candidates
    .map((c) => score(account, c))
    .filter((p): p is Proposal => p !== null)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, max);
}

/** Bitbucket commit authors linked to no account are keyed `email:<address>` or `raw:<text>`: their email is unverified. */
export function hasVerifiedEmail(accountId: string, email: string | null): email is string {
  return email !== null && email.includes('@') && !accountId.startsWith('email:') && !accountId.startsWith('raw:');
}

/** What to call a person made from an account. */
export function displayNameOf(a: AccountFacts & { accountId: string }): string {
  return a.name?.trim() || a.nickname?.trim() || a.email || a.accountId.replace(/^(email|raw):/, '');
}
