import { storeContract } from './contract.ts';
import { openTestPostgres, postgresUnavailable } from './pg.ts';

// Outside CI with no database configured the suite is skipped and says why; under CI=true
// postgresUnavailable throws instead, so the suite fails.
storeContract('postgres', openTestPostgres, await postgresUnavailable());
