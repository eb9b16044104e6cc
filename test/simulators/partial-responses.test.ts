import { describe, expect, it } from 'vitest';
import { partialResponse } from '../../src/simulators/bitbucket/fields.ts';
import { bitbucketForTests } from './support/bitbucket-client.ts';

const user = { nickname: 'evzijst', display_name: 'Erik', uuid: '{a}', links: { self: { href: 's' }, avatar: { href: 'a' } }, type: 'user' };
const page = {
  size: 2,
  next: 'n',
  values: [
    { id: 1, state: 'OPEN', title: 't1', reviewers: [{ nickname: 'abhin', uuid: '{1}' }, { nickname: 'dtao', uuid: '{2}' }], links: { self: { href: 'p1' } }, author: user },
    { id: 2, state: 'MERGED', title: 't2', reviewers: [], links: { self: { href: 'p2' } }, author: user, source: { repository: { name: 'r', links: { html: { href: 'h' } } } } },
  ],
};

/** Every `links` key at any depth. */
function linkPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => linkPaths(v, path));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'links' ? [`${path}${k}`] : linkPaths(v, `${path}${k}.`)));
}

describe('partial responses (the fields parameter), as Bitbucket documents them', () => {
  it('removes a field, or every entry of one with a wildcard', () => {
    expect(partialResponse(user, '-links')).toEqual({ nickname: 'evzijst', display_name: 'Erik', uuid: '{a}', type: 'user' });
    expect(partialResponse(user, '-links.*')).toEqual({ ...user, links: {} });
  });

  it('returns only the listed fields, through lists, and nothing else (not even next)', () => {
    expect(partialResponse(page, 'values.id,values.reviewers.nickname,values.state')).toEqual({
      values: [
        { id: 1, state: 'OPEN', reviewers: [{ nickname: 'abhin' }, { nickname: 'dtao' }] },
        { id: 2, state: 'MERGED', reviewers: [] },
      ],
    });
  });

  it('applies items in order: -*,+foo,+bar keeps foo and bar', () => {
    expect(partialResponse({ foo: 1, bar: { x: 2 }, baz: 3 }, '-*,+foo,+bar')).toEqual({ foo: 1, bar: { x: 2 } });
    expect(partialResponse({ foo: 1, bar: 2 }, '+foo,-foo')).toEqual({ bar: 2 });
    expect(partialResponse({ values: [{ id: 1, title: 't' }] }, '-values,+values.id')).toEqual({ values: [{ id: 1 }] });
  });

  it('removes links at the depths named with wildcards and leaves deeper ones and every other field', () => {
    const out = partialResponse(page, '-values.links,-values.*.links') as typeof page;
    expect(linkPaths(out)).toEqual(['values.source.repository.links']);
    expect(linkPaths(partialResponse(page, '-values.links,-values.*.links,-values.*.*.links'))).toEqual([]);
    expect(out.values[1]!.author).toEqual({ nickname: 'evzijst', display_name: 'Erik', uuid: '{a}', type: 'user' });
    expect(out.next).toBe('n');
    expect(out.size).toBe(2);
    expect(user.links).toBeDefined(); // the input is not changed
  });

  it('changes nothing for fields that do not exist, or an empty parameter', () => {
    expect(partialResponse(page, '-nothing.here,-values.nope')).toEqual(page);
    expect(partialResponse(page, '')).toBe(page);
  });
});

describe('partial responses over HTTP', () => {
  const { get } = bitbucketForTests();

  it('a commits page without links has every other field, and its next link keeps the parameter', async () => {
    const ws = (await get('/user/workspaces')).body.values[0].workspace.slug;
    const repo = (await get(`/repositories/${ws}?pagelen=1`)).body.values[0].slug;
    const strip = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(strip) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'links').map(([k, x]) => [k, strip(x)])) : v;
    const fields = '-values.links,-values.*.links,-values.*.*.links,-values.*.*.*.links';
    const full = await get(`/repositories/${ws}/${repo}/commits?pagelen=20`);
    const partial = await get(`/repositories/${ws}/${repo}/commits?pagelen=20&fields=${encodeURIComponent(fields)}`);
    expect(partial.status).toBe(200);
    expect(partial.body.values.length).toBe(20);
    expect(linkPaths(partial.body.values)).toEqual([]);
    expect(strip(partial.body.values)).toEqual(strip(full.body.values));
    expect(partial.text.length).toBeLessThan(full.text.length / 2);
    expect(new URL(partial.body.next).searchParams.get('fields')).toBe(fields);
    const second = await get(partial.body.next);
    expect(linkPaths(second.body.values)).toEqual([]);
    expect(second.body.values.map((c: any) => c.hash)).toEqual((await get(full.body.next)).body.values.map((c: any) => c.hash));
  });

  it('an error is not filtered', async () => {
    const res = await get('/repositories/nobody-here/x/commits?fields=-error');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/No workspace with identifier 'nobody-here'/);
  });
});
