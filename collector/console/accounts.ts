/**
 * Console accounts and sessions, persisted through portable SQL.
 *
 * Roles: `owner` (everything, including settings, keys and erasure), `marketer` (edits offers,
 * imports data), `analyst` (reads only). A session token is 32 random bytes given to the browser
 * once; the server keeps only its SHA-256, so a leaked database does not leak live sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SqlRunner, Store } from '../store/types.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';

export const ROLES = ['owner', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
export interface Account { id: string; email: string; role: Role; createdAt: number }
export interface Session { user: Account; csrf: string; expiresAt: number }

export const SESSION_TTL_MS = 12 * 3600_000;

export const accountInput = z.object({
  email: z.string().trim().toLowerCase().email('a valid e-mail address').max(200),
  role: z.enum(ROLES),
  password: z.string().min(12, 'password: at least 12 characters').max(200),
});

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
const token = () => randomBytes(32).toString('base64url');
const account = (r: Record<string, any>): Account => ({ id: r.id, email: r.email, role: r.role, createdAt: Number(r.created_at) });

export class AccountError extends Error {
  constructor(readonly code: 'exists' | 'setup_done', message: string) { super(message); }
}

/**
 * Create an account. With `firstOnly`, succeeds only while no account exists: the set-up marker
 * row is inserted in the same transaction, and its primary key makes a replay fail atomically
 * on both stores. Every creation claims the marker, so the set-up page closes after the CLI too.
 */
export async function createAccount(store: Store, input: z.input<typeof accountInput>, o: { newId(): string; now: number; by: string; firstOnly?: boolean }): Promise<Account> {
  const a = accountInput.parse(input);
  const hash = await hashPassword(a.password);
  return store.write(async (tx) => {
    const claimed = await tx.query('INSERT INTO console_setup (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id', ['first', o.now]);
    if (o.firstOnly && claimed.rows.length === 0) throw new AccountError('setup_done', 'set-up is already done; sign in instead');
    const dup = await tx.query('SELECT id FROM console_users WHERE email = ?', [a.email]);
    if (dup.rows.length) throw new AccountError('exists', `an account for ${a.email} already exists`);
    const id = o.newId();
    await tx.query('INSERT INTO console_users (id, email, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', [id, a.email, a.role, hash, o.now, o.by]);
    return { id, email: a.email, role: a.role, createdAt: o.now };
  });
}

export async function hasAccounts(db: SqlRunner): Promise<boolean> {
  return (await db.query('SELECT id FROM console_setup WHERE id = ?', ['first'])).rows.length > 0;
}

export async function listAccounts(db: SqlRunner): Promise<Account[]> {
  return (await db.query('SELECT id, email, role, created_at FROM console_users ORDER BY created_at')).rows.map(account);
}

/** The account for this e-mail and password, or null (same work whether or not the e-mail exists). */
export async function authenticate(db: SqlRunner, email: string, password: string): Promise<Account | null> {
  const r = (await db.query('SELECT * FROM console_users WHERE email = ?', [email.trim().toLowerCase()])).rows[0];
  const ok = await verifyPassword(password, r ? r.password_hash : DUMMY_HASH);
  return r && ok ? account(r) : null;
}

/** Start a session; returns the token for the cookie (never stored) and the CSRF token. */
export async function startSession(db: SqlRunner, user: Account, now: number): Promise<{ token: string; csrf: string; expiresAt: number }> {
  const t = token(), csrf = token(), expiresAt = now + SESSION_TTL_MS;
  await db.query('DELETE FROM console_sessions WHERE expires_at <= ?', [now]);
  await db.query('INSERT INTO console_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [sha256(t), user.id, csrf, now, expiresAt]);
  return { token: t, csrf, expiresAt };
}

export async function sessionOf(db: SqlRunner, t: string | undefined, now: number): Promise<Session | null> {
  if (!t || t.length > 100) return null;
  const r = (await db.query(
    'SELECT s.csrf, s.expires_at, u.id, u.email, u.role, u.created_at FROM console_sessions s JOIN console_users u ON u.id = s.user_id WHERE s.token_hash = ?',
    [sha256(t)],
  )).rows[0];
  if (!r || Number(r.expires_at) <= now) return null;
  return { user: account(r), csrf: r.csrf, expiresAt: Number(r.expires_at) };
}

export async function endSession(db: SqlRunner, t: string | undefined): Promise<void> {
  if (t) await db.query('DELETE FROM console_sessions WHERE token_hash = ?', [sha256(t)]);
}
