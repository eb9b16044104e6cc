// Remembers the organization someone last looked at, so "/" and "/account" open in it.
const KEY = 'tally.lastOrganization';

export function rememberOrganization(orgId: string): void {
  try {
    localStorage.setItem(KEY, orgId);
  } catch {
    // Storage can be disabled (private mode, policies); then we simply don't remember.
  }
}

export function lastOrganization(): string | undefined {
  try {
    return localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined; // as above: no storage, no memory
  }
}
