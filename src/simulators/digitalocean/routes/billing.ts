import { DAY_MS, digitaloceanTime as time, isoDate } from '../../core/clock.ts';
import { ok } from '../../core/reply.ts';
import { money } from '../billing.ts';
import type { Billing, Invoice } from '../billing.ts';
import { badRequest, notFound } from '../api.ts';
import type { DoRoute } from '../api.ts';
import { paginate, pagedBody } from '../paging.ts';

/** Balance, billing history, invoices (list, items, summary, CSV) and daily billing insights. */

function invoicePreview(inv: Invoice) {
  return { invoice_uuid: inv.uuid, invoice_id: inv.id, amount: money(inv.totalCents), invoice_period: inv.period, updated_at: time(inv.updatedAt) };
}

/** `2020-07-01 00:00:00 +0000`, the timestamp format of DigitalOcean's invoice CSV. */
function csvTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function parseDay(value: string | undefined): number | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

export function billingRoutes(billing: Billing): DoRoute[] {
  const world = billing.world;
  const someInvoice = () => billing.invoices()[0];
  const teamUrn = () => `do:team:${world.state.team.uuid}`;
  return [
    {
      documentPath: '/v2/customers/my/balance',
      handle(ctx) {
        const preview = billing.preview();
        const balance = billing.accountBalanceCents();
        return ok({
          month_to_date_balance: money(balance + preview.totalCents),
          account_balance: money(balance),
          month_to_date_usage: money(preview.totalCents),
          generated_at: time(ctx.now),
        });
      },
      examples: () => ['/v2/customers/my/balance'],
    },
    {
      documentPath: '/v2/customers/my/billing_history',
      handle: (ctx) =>
        ok(
          pagedBody(ctx, '/v2/customers/my/billing_history', 'billing_history', billing.history(), (e) => ({
            description: e.description,
            amount: money(e.amountCents),
            ...(e.invoice ? { invoice_id: e.invoice.id, invoice_uuid: e.invoice.uuid } : {}),
            date: time(e.date),
            type: e.type,
          })),
        ),
      examples: () => ['/v2/customers/my/billing_history'],
    },
    {
      documentPath: '/v2/customers/my/invoices',
      handle(ctx) {
        const body = pagedBody(ctx, '/v2/customers/my/invoices', 'invoices', billing.invoices(), invoicePreview);
        return ok({ invoices: body.invoices, invoice_preview: invoicePreview(billing.preview()), links: body.links, meta: body.meta });
      },
      examples: () => ['/v2/customers/my/invoices', '/v2/customers/my/invoices?per_page=5&page=2'],
    },
    {
      documentPath: '/v2/customers/my/invoices/{invoice_uuid}',
      handle(ctx) {
        const inv = billing.invoice(ctx.params.invoice_uuid ?? '');
        if (!inv) return notFound();
        return ok(
          pagedBody(ctx, `/v2/customers/my/invoices/${inv.uuid}`, 'invoice_items', inv.lines, (l) => ({
            product: l.product,
            resource_uuid: l.resourceUuid,
            resource_id: l.resourceId,
            group_description: l.groupDescription,
            description: l.description,
            amount: money(l.amountCents),
            duration: String(l.hours),
            duration_unit: 'Hours',
            start_time: time(l.start),
            end_time: time(l.end),
            project_name: l.projectName,
          })),
        );
      },
      examples: () => [`/v2/customers/my/invoices/${someInvoice()?.uuid}`, `/v2/customers/my/invoices/${someInvoice()?.uuid}?per_page=3&page=2`, '/v2/customers/my/invoices/not-an-invoice'],
    },
    {
      documentPath: '/v2/customers/my/invoices/{invoice_uuid}/summary',
      handle(ctx) {
        const inv = billing.invoice(ctx.params.invoice_uuid ?? '');
        if (!inv) return notFound();
        const owner = world.state.users[0];
        const products = new Map<string, { cents: number; count: number }>();
        for (const l of inv.lines) {
          const p = products.get(l.product) ?? { cents: 0, count: 0 };
          products.set(l.product, { cents: p.cents + l.amountCents, count: p.count + 1 });
        }
        return ok({
          invoice_uuid: inv.uuid,
          invoice_id: inv.id,
          billing_period: inv.period,
          amount: money(inv.totalCents),
          user_name: owner?.name ?? '',
          user_billing_address: { address_line1: '1 Harbour Way', city: 'Springfield', region: 'OR', postal_code: '97477', country_iso2_code: 'US', created_at: time(world.state.projects[0]?.createdAt ?? 0), updated_at: time(world.state.projects[0]?.createdAt ?? 0) },
          user_company: world.state.team.name,
          user_email: owner?.email ?? '',
          product_charges: {
            name: 'Product usage charges',
            amount: money(inv.totalCents),
            items: [...products].map(([name, p]) => ({ amount: money(p.cents), name, count: String(p.count) })),
          },
          overages: { name: 'Overages', amount: '0.00' },
          taxes: { name: 'Taxes', amount: '0.00' },
          credits_and_adjustments: { name: 'Credits & adjustments', amount: '0.00' },
        });
      },
      examples: () => [`/v2/customers/my/invoices/${someInvoice()?.uuid}/summary`],
    },
    {
      documentPath: '/v2/customers/my/invoices/{invoice_uuid}/csv',
      handle(ctx) {
        const inv = billing.invoice(ctx.params.invoice_uuid ?? '');
        if (!inv) return notFound();
        const rows = inv.lines.map((l) =>
          [l.product, l.groupDescription, l.description, String(l.hours), csvTime(l.start), csvTime(l.end), `$${money(l.amountCents)}`, l.projectName, l.category].map(csvCell).join(','),
        );
        const month = new Date(inv.start).toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
        return {
          status: 200,
          contentType: 'text/csv; charset=utf-8',
          headers: { 'content-disposition': `attachment; filename="DigitalOcean Invoice ${month} (${inv.id}).csv"` },
          body: `product,group_description,description,hours,start,end,USD,project_name,category\n${rows.join('\n')}\n`,
        };
      },
      examples: () => [`/v2/customers/my/invoices/${someInvoice()?.uuid}/csv`],
    },
    {
      documentPath: '/v2/billing/{account_urn}/insights/{start_date}/{end_date}',
      handle(ctx) {
        if (ctx.params.account_urn !== teamUrn()) return notFound();
        const from = parseDay(ctx.params.start_date);
        const to = parseDay(ctx.params.end_date);
        if (from === null || to === null || to < from) return badRequest('start_date and end_date must be dates (YYYY-MM-DD), start first');
        // "Must be within 31 days of start_date" (the end_date parameter's description).
        if (to - from > 31 * DAY_MS) return badRequest('end_date must be within 31 days of start_date');
        const page = paginate(ctx, `/v2/billing/${teamUrn()}/insights/${ctx.params.start_date}/${ctx.params.end_date}`, billing.insights(from, to));
        return ok({
          data_points: page.items.map((p) => ({
            usage_team_urn: teamUrn(),
            start_date: isoDate(p.day),
            total_amount: money(p.cents),
            region: p.billable.region,
            sku: p.billable.sku,
            description: p.billable.description,
            group_description: p.billable.groupDescription,
          })),
          total_items: page.meta.total,
          total_pages: page.lastPage,
          current_page: page.page,
        });
      },
      examples: () => {
        const end = isoDate(world.clock.epochMs - DAY_MS);
        const start = isoDate(world.clock.epochMs - 7 * DAY_MS);
        return [`/v2/billing/${teamUrn()}/insights/${start}/${end}`, `/v2/billing/${teamUrn()}/insights/${start}/${end}?per_page=50&page=2`, `/v2/billing/${teamUrn()}/insights/2020-01-01/2020-03-01`];
      },
    },
  ];
}
