/** Number, money, share and date formatting through Intl, in the console's language. */
import { lang } from './i18n.ts';

const loc = () => (lang() === 'vi' ? 'vi-VN' : 'en-US');
export const num = (n: number | null | undefined, digits = 0) => (n == null || !Number.isFinite(n) ? '—' : new Intl.NumberFormat(loc(), { maximumFractionDigits: digits }).format(n));
export const pct = (n: number | null | undefined, digits = 1) => (n == null || !Number.isFinite(n) ? '—' : new Intl.NumberFormat(loc(), { style: 'percent', maximumFractionDigits: digits }).format(n));
export const money = (n: number | null | undefined, currency = 'VND') => (n == null || !Number.isFinite(n) ? '—' : new Intl.NumberFormat(loc(), { style: 'currency', currency, maximumFractionDigits: currency === 'VND' ? 0 : 2 }).format(n));
export const date = (t: number | null | undefined) => (t == null ? '—' : new Intl.DateTimeFormat(loc(), { dateStyle: 'medium', timeStyle: 'short' }).format(t));
export const day = (t: number | null | undefined) => (t == null ? '—' : new Intl.DateTimeFormat(loc(), { dateStyle: 'medium' }).format(t));
