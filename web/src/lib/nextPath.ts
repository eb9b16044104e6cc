/**
 * The page to return to after signing in, from `?next=`. Only paths inside this app are accepted,
 * so a crafted link cannot send someone to another site after they sign in.
 */
export function safeNextPath(search: string): string | undefined {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  if (next.startsWith('/api/') || next === '/login' || next.startsWith('/login?')) return undefined;
  return next;
}

export function loginPathFor(location: string, search: string): string {
  const here = search ? `${location}?${search}` : location;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
