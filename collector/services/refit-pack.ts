/**
 * The fit's input in a compact, transferable form: typed arrays instead of one object per order,
 * so handing 23,570 customers' purchase logs to the fit worker moves a few buffers (zero-copy,
 * transferred) instead of structured-cloning ~100,000 small objects on the event loop.
 * Pure: packing and unpacking are exact inverses for what fitShopModel reads.
 */
import type { FitCustomer } from '../models/fit.ts';
import type { Order } from '../models/customer-summary.ts';

/** FitCustomer[] as columns. NaN stands for "absent" in the number columns, -1 in `topCategory`. */
export interface PackedCustomers {
  /** Customer i's orders are rows offsets[i] … offsets[i + 1] - 1. Length customers + 1. */
  offsets: Uint32Array;
  ts: Float64Array;
  amount: Float64Array;
  quantity: Float64Array;
  discount: Float64Array;
  /** Per customer. */
  typicalPrice: Float64Array;
  /** Per customer: index into `categories`. */
  topCategory: Int32Array;
  categories: string[];
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);

/**
 * Columns from customers, in order.
 * @example packFitCustomers([{ orders: [{ ts: 0, amount: 10 }], topCategory: 'jazz' }]).categories // ['jazz']
 */
export function packFitCustomers(customers: readonly FitCustomer[]): PackedCustomers {
  let rows = 0;
  for (const c of customers) rows += c.orders.length;
  const offsets = new Uint32Array(customers.length + 1);
  const ts = new Float64Array(rows);
  const amount = new Float64Array(rows);
  const quantity = new Float64Array(rows);
  const discount = new Float64Array(rows);
  const typicalPrice = new Float64Array(customers.length);
  const topCategory = new Int32Array(customers.length);
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  let r = 0;
  customers.forEach((c, i) => {
    offsets[i] = r;
    for (const o of c.orders) {
      ts[r] = o.ts;
      amount[r] = o.amount;
      quantity[r] = num(o.quantity);
      discount[r] = num(o.discount);
      r++;
    }
    typicalPrice[i] = num(c.typicalPrice);
    const g = c.topCategory;
    if (g === null || g === undefined) topCategory[i] = -1;
    else {
      let k = categoryIndex.get(g);
      if (k === undefined) categoryIndex.set(g, (k = categories.push(g) - 1));
      topCategory[i] = k;
    }
  });
  offsets[customers.length] = r;
  return { offsets, ts, amount, quantity, discount, typicalPrice, topCategory, categories };
}

/** The buffers to transfer (not copy) with a packed message. */
export function packedBuffers(p: PackedCustomers): ArrayBuffer[] {
  return [p.offsets, p.ts, p.amount, p.quantity, p.discount, p.typicalPrice, p.topCategory].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Customers back from columns; absent fields are left out (or null for the two nullable ones).
 * @example unpackFitCustomers(packFitCustomers(customers)) // deep-equal to customers' fitted fields
 */
export function unpackFitCustomers(p: PackedCustomers): FitCustomer[] {
  const out: FitCustomer[] = new Array(p.offsets.length - 1);
  for (let i = 0; i < out.length; i++) {
    const orders: Order[] = [];
    for (let r = p.offsets[i]; r < p.offsets[i + 1]; r++) {
      const o: Order = { ts: p.ts[r], amount: p.amount[r] };
      if (!Number.isNaN(p.quantity[r])) o.quantity = p.quantity[r];
      if (!Number.isNaN(p.discount[r])) o.discount = p.discount[r];
      orders.push(o);
    }
    const k = p.topCategory[i];
    out[i] = { orders, topCategory: k < 0 ? null : p.categories[k], typicalPrice: Number.isNaN(p.typicalPrice[i]) ? null : p.typicalPrice[i] };
  }
  return out;
}
