/** PostgreSQL store — built in the scale-out issue (#9). */
import type { Store } from '../types.ts';

export async function openPostgresStore(url: string): Promise<Store> {
  throw new Error(`PostgreSQL store is not available yet (${url.replace(/\/\/[^@]*@/, '//')})`);
}
