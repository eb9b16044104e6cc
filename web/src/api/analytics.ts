// Typed calls for the analytics API (src/api/contracts/analytics.ts; metric definitions in docs/metrics.md):
// overview, apps, members, people and links, spend, resources, insights. Type-only imports, so no
// server code reaches the bundle.
import type { z } from 'zod';
import type {
  AccountRef,
  ActivityWindow,
  AppDetail,
  AppList,
  AppMember,
  AppMemberList,
  AppSummary,
  FeatureAdoption,
  Insight,
  InsightList,
  InsightStateRequest,
  InvoiceLineList,
  LinkedAccount as LinkedAccountSchema,
  LinkProposal,
  Overview,
  PersonDetail,
  PersonList,
  PersonRow,
  PersonStatus as PersonStatusSchema,
  ProposalList,
  Resource,
  ResourceDetail as ResourceDetailSchema,
  ResourceList,
  Severity as SeveritySchema,
  SpendLineList,
  SpendSummary,
  UsageLevel,
  InsightState as InsightStateSchema,
} from '../../../src/api/contracts/analytics.ts';
import { http } from './http.ts';

export type { ActivityWindow, AppDetail, AppMember, AppSummary, FeatureAdoption, Insight, LinkProposal, Overview, PersonDetail, PersonRow, Resource, SpendSummary, UsageLevel };
export type LinkedAccount = z.infer<typeof LinkedAccountSchema>;
export type PersonStatus = z.infer<typeof PersonStatusSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type InsightState = z.infer<typeof InsightStateSchema>;
export type InsightPage = z.infer<typeof InsightList>;
export type InsightStateInput = z.input<typeof InsightStateRequest>;
export type ResourceDetail = z.infer<typeof ResourceDetailSchema>;
export type SpendLinePage = z.infer<typeof SpendLineList>;
export type InvoiceLinePage = z.infer<typeof InvoiceLineList>;
export type AccountRefInput = z.input<typeof AccountRef>;

/** Every list answers in this shape. */
interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  nextOffset: number | null;
}

type Params = Record<string, string | number | undefined>;

/** Only the parameters that are set, so the API's defaults apply to the rest. */
function withQuery(path: string, params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

const base = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}/analytics`;
const id = (value: string) => encodeURIComponent(value);

/** The most rows a page loads into a table before it asks the reader to narrow the search. */
export const TABLE_ROW_CAP = 5000;

/**
 * Reads every page of a list, 500 at a time (the API's maximum), up to `cap` rows: tables sort and
 * search in the browser, which stays instant for the 2,000 members of a large workspace.
 */
export async function readAll<P extends Paged<unknown>>(load: (limit: number, offset: number) => Promise<P>, cap = TABLE_ROW_CAP): Promise<{ items: P['items']; total: number; first: P }> {
  const first = await load(500, 0);
  const items = [...first.items];
  let next = first.nextOffset;
  while (next !== null && items.length < cap) {
    const page = await load(500, next);
    items.push(...page.items);
    next = page.nextOffset;
  }
  return { items: items.slice(0, cap), total: first.total, first };
}

export interface RangeParams {
  from?: string;
  to?: string;
}

export const analyticsApi = {
  overview: (orgId: string, window: ActivityWindow = '30') => http.get<Overview>(withQuery(`${base(orgId)}/overview`, { window })),

  apps: (orgId: string, window: ActivityWindow = '30') => http.get<z.infer<typeof AppList>>(withQuery(`${base(orgId)}/apps`, { window, limit: 500 })),
  app: (orgId: string, appId: string, params: RangeParams & { window?: ActivityWindow } = {}) =>
    http.get<AppDetail>(withQuery(`${base(orgId)}/apps/${id(appId)}`, { ...params })),
  appMembers: (orgId: string, appId: string, params: RangeParams & { window?: ActivityWindow; q?: string; limit?: number; offset?: number } = {}) =>
    http.get<z.infer<typeof AppMemberList>>(withQuery(`${base(orgId)}/apps/${id(appId)}/members`, { ...params })),
  appInvoices: (orgId: string, appId: string, params: RangeParams & { limit?: number; offset?: number } = {}) =>
    http.get<InvoiceLinePage>(withQuery(`${base(orgId)}/apps/${id(appId)}/invoices`, { ...params })),

  people: (orgId: string, params: RangeParams & { q?: string; status?: PersonStatus; appId?: string; limit?: number; offset?: number } = {}) =>
    http.get<z.infer<typeof PersonList>>(withQuery(`${base(orgId)}/people`, { ...params })),
  person: (orgId: string, personId: string, params: RangeParams = {}) => http.get<PersonDetail>(withQuery(`${base(orgId)}/people/${id(personId)}`, { ...params })),
  proposals: (orgId: string, params: { appId?: string; limit?: number; offset?: number } = {}) =>
    http.get<z.infer<typeof ProposalList>>(withQuery(`${base(orgId)}/people/proposals`, { ...params })),
  /** link: move the account to this person; unlink: make it a person of its own; confirm/reject: a proposal. */
  changeLink: (orgId: string, personId: string, action: 'link' | 'unlink' | 'confirm' | 'reject', account: AccountRefInput) =>
    http.post<PersonDetail>(`${base(orgId)}/people/${id(personId)}/${action}`, account),

  spend: (orgId: string, params: RangeParams & { appId?: string } = {}) => http.get<SpendSummary>(withQuery(`${base(orgId)}/spend`, { ...params })),
  spendLines: (orgId: string, params: RangeParams & { appId?: string; groupBy?: 'app' | 'product' | 'project'; limit?: number; offset?: number } = {}) =>
    http.get<SpendLinePage>(withQuery(`${base(orgId)}/spend/lines`, { ...params })),

  resources: (orgId: string, params: RangeParams & { appId?: string; days?: '14' | '30'; limit?: number; offset?: number } = {}) =>
    http.get<z.infer<typeof ResourceList>>(withQuery(`${base(orgId)}/resources`, { ...params })),
  resource: (orgId: string, resourceId: string, params: RangeParams & { days?: '14' | '30' } = {}) =>
    http.get<ResourceDetail>(withQuery(`${base(orgId)}/resources/${id(resourceId)}`, { ...params })),

  insights: (orgId: string, params: RangeParams & { state?: InsightState | 'all'; severity?: Severity; appId?: string; limit?: number; offset?: number } = {}) =>
    http.get<InsightPage>(withQuery(`${base(orgId)}/insights`, { ...params })),
  setInsightState: (orgId: string, insightId: string, input: InsightStateInput) => http.post<Insight>(`${base(orgId)}/insights/${id(insightId)}/state`, input),
};
