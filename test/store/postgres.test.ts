import { describe, it } from 'vitest';
import { storeContract } from './contract.ts';
import { openTestPostgres, postgresUnavailable } from './pg.ts';

const missing = await postgresUnavailable();
if (missing) {
  // Outside CI, no database configured: say so plainly (under CI=true postgresUnavailable throws).
  describe('store contract: postgres', () => it.skip(missing));
} else {
  storeContract('postgres', openTestPostgres);
}
