/** PresetCatalog.adopt: what another replica stored is news once, unreadable rows included, and never again. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/open-store';
import type { Store } from '../store/store.port';
import { PresetCatalog } from './preset-catalog';

describe('PresetCatalog.adopt', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mo-catalog-'));
    store = await openSqliteStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes another writer\'s presets once, follows a replacement and a deletion, and skips an unreadable row quietly', async () => {
    const writer = new PresetCatalog([], store.presets);
    const reader = new PresetCatalog([], store.presets);
    await reader.load();
    const adopted = async () => reader.adopt(await reader.read());

    await writer.create({ id: 'batch', description: '', aliases: ['b'], selector: { names: ['demo-*'], tags: [], exclude: [] }, isDefault: false });
    expect([await adopted(), await adopted()]).toEqual([true, false]);
    expect(reader.get('b').selector.names).toEqual(['demo-*']);

    await writer.createMany([{ id: 'batch', description: 'now tagged', aliases: [], selector: { names: [], tags: ['batch'], exclude: [] }, isDefault: false }], true);
    expect(await adopted()).toBe(true);
    expect([reader.get('batch').description, reader.has('b')]).toEqual(['now tagged', false]);

    await store.presets.create('broken', { kind: 'Preset', spec: 42 });
    expect([await adopted(), await adopted()]).toEqual([true, false]);
    expect(reader.has('broken')).toBe(false);

    await writer.delete('batch');
    expect([await adopted(), reader.has('batch')]).toEqual([true, false]);
    // The writer's own writes are what it holds: nothing to take.
    expect(writer.adopt(await writer.read())).toBe(true); // only the unreadable row it never saw
    expect(writer.adopt(await writer.read())).toBe(false);
  });
});
