import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './open-store';
import { describeStoreContract } from './store.contract';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mo-store-'));
  return {
    open: (options) => openSqliteStore(dir, options),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
