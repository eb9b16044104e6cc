import { defineStream } from '../../../sync/types.ts';
import type { ParentRecord } from '../../../sync/types.ts';
import { Balance, BillingHistoryEntry, Invoice, InvoiceItem } from '../schemas.ts';
import { listAt, pages } from './paging.ts';

/** Money as DigitalOcean states it: strings, never parsed here. Billing needs the `billing:read` scope. */

/** Month-to-date usage and balance; one record, replaced on every pass. */
export const balance = defineStream({
  name: 'balance',
  schedule: 'daily',
  provider: 'digitalocean',
  path: '/v2/customers/my/balance',
  pagination: { kind: 'single' },
  schema: Balance,
  id: () => 'balance',
});

/**
 * Invoices and payments. The document lists no page parameters for this operation but its answer carries
 * `links.pages` (its example pages with `per_page`), so it pages like the other lists.
 */
export const billingHistory = defineStream({
  name: 'billing_history',
  schedule: 'daily',
  provider: 'digitalocean',
  path: '/v2/customers/my/billing_history',
  pagination: pages('billing_history'),
  schema: BillingHistoryEntry,
  // Entries have no id of their own; a payment and an invoice never share type, date and amount.
  id: (e) => [e.type, e.date, e.amount, e.invoice_uuid ?? '', e.description].join('|'),
});

/**
 * Issued invoices, plus the running month's `invoice_preview` (a record of its own, `preview: true`). The
 * preview comes with every page; it is taken from the first page only (the one without `links.pages.prev`).
 * Its uuid is the one the month's invoice keeps once issued, so the preview row turns into the invoice.
 */
export const invoices = defineStream({
  name: 'invoices',
  schedule: 'daily',
  provider: 'digitalocean',
  path: '/v2/customers/my/invoices',
  pagination: pages('invoices'),
  extract(body) {
    const issued = listAt(body, 'invoices').map((i) => ({ ...i, preview: false }));
    const { invoice_preview: preview, links } = body as { invoice_preview?: Record<string, unknown>; links?: { pages?: { prev?: string } } };
    const firstPage = links?.pages?.prev === undefined;
    return preview && firstPage ? [{ ...preview, preview: true }, ...issued] : issued;
  },
  schema: Invoice,
  id: (i) => i.invoice_uuid,
});

/** An issued invoice never changes once its `updated_at` has passed; the preview has no items to read. */
function invoiceMayHaveChanged(invoice: ParentRecord, lastCompletePassAt: Date | undefined): boolean {
  if (invoice.data.preview === true) return false;
  const updatedAt = typeof invoice.data.updated_at === 'string' ? Date.parse(invoice.data.updated_at) : Number.NaN;
  return lastCompletePassAt === undefined || Number.isNaN(updatedAt) || updatedAt >= lastCompletePassAt.getTime();
}

/** Line items of each issued invoice: product, resource, project and amount. */
export const invoiceItems = defineStream({
  name: 'invoice_items',
  schedule: 'daily',
  provider: 'digitalocean',
  parent: 'invoices',
  path: (invoice) => `/v2/customers/my/invoices/${encodeURIComponent(invoice.externalId)}`,
  pagination: pages('invoice_items'),
  shouldFetch: invoiceMayHaveChanged,
  // Items do not repeat their invoice: carry it, so ids are unique across invoices.
  extract: (body, invoice) => listAt(body, 'invoice_items').map((i) => ({ ...i, invoice_uuid: invoice?.externalId })),
  schema: InvoiceItem,
  // Items have no id; `resource_uuid` is absent for some products (e.g. a Spaces subscription).
  id: (i) =>
    [i.invoice_uuid, i.product, i.resource_uuid ?? '', i.resource_id ?? '', i.group_description ?? '', i.description, i.project_name ?? '', i.start_time, i.end_time].join('|'),
});
