import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { storeContract } from './contract.ts';

storeContract('sqlite', async () => {
  const store = openSqliteStore(':memory:');
  return { store, dispose: () => store.close() };
});
