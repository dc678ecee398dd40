/**
 * CSV import from the console, a chunk of rows at a time (the browser parses the file and shows
 * progress). Rows are validated one by one; good rows become trusted messages ingested through
 * the same path as the shop's backend (source 'import', deterministic message ids, so importing
 * a file twice changes nothing); bad rows are reported with their line numbers.
 */
import { z } from 'zod';
import { message, type Message } from '../protocol.ts';
import type { Services } from '../services/context.ts';
import { ingestMessages } from '../services/ingest.ts';
import type { Site } from '../store/types.ts';

export const importChunk = z.object({
  /** Line number (1-based, header = 1) of the first row. */
  firstLine: z.number().int().min(2),
  rows: z.array(z.record(z.string(), z.string())).min(1).max(1000),
});

const when = (s: string) => {
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : NaN;
};

const customerRow = z.object({
  customer_id: z.string().trim().min(1, 'customer_id is required').max(200),
  email: z.string().trim().email('email is not an e-mail address').max(200).optional().or(z.literal('')),
  name: z.string().max(200).optional(),
  phone: z.string().max(40).optional(),
});
const orderRow = z.object({
  customer_id: z.string().trim().min(1, 'customer_id is required').max(200),
  order_date: z.string().refine((s) => Number.isFinite(when(s)), 'order_date is not a date'),
  amount: z.string().refine((s) => s.trim() !== '' && Number.isFinite(Number(s)) && Number(s) >= 0, 'amount must be a number ≥ 0'),
  order_id: z.string().max(200).optional(),
  category: z.string().max(100).optional(),
  currency: z.string().length(3).optional().or(z.literal('')),
});

function toMessage(kind: 'customers' | 'orders', row: Record<string, string>, line: number, now: number): Message {
  if (kind === 'customers') {
    const r = customerRow.parse(row);
    const traits: Record<string, string> = {};
    if (r.email) traits.email = r.email;
    if (r.name) traits.name = r.name;
    if (r.phone) traits.phone = r.phone;
    return message.parse({ type: 'identify', userId: r.customer_id, traits, messageId: `import-c-${r.customer_id}`.slice(0, 200), timestamp: now });
  }
  const r = orderRow.parse(row);
  const orderId = r.order_id || `${r.customer_id}-${r.order_date}-${r.amount}-${line}`;
  const props: Record<string, unknown> = { order_id: orderId, revenue: Number(r.amount), currency: r.currency || undefined };
  if (r.category) props.products = [{ category: r.category, price: Number(r.amount), quantity: 1 }];
  return message.parse({ type: 'track', event: 'Order Completed', userId: r.customer_id, properties: props, messageId: `import-o-${orderId}`.slice(0, 200), timestamp: when(r.order_date) });
}

export interface ImportResult { accepted: number; duplicates: number; errors: { line: number; message: string }[] }

/** Validate and ingest one chunk of CSV rows. */
export async function importRows(svc: Services, site: Site, kind: 'customers' | 'orders', chunk: z.infer<typeof importChunk>): Promise<ImportResult> {
  const now = svc.clock.now();
  const good: Message[] = [];
  const errors: ImportResult['errors'] = [];
  chunk.rows.forEach((row, i) => {
    const line = chunk.firstLine + i;
    try {
      good.push(toMessage(kind, row, line, now));
    } catch (e) {
      const issues = e instanceof z.ZodError ? e.issues.map((x) => x.message).join('; ') : String((e as Error).message);
      errors.push({ line, message: issues });
    }
  });
  if (!good.length) return { accepted: 0, duplicates: 0, errors };
  const r = await ingestMessages(svc, { site, trusted: true, source: 'import', receivedAt: now }, good);
  return { accepted: r.accepted, duplicates: r.duplicates ?? 0, errors };
}
