import { SqlWebhookPaths } from '@weft/sql';
import { createSqliteStorage, type SqliteStorage } from '@weft/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('SqlWebhookPaths (the control registry of webhook path -> region)', () => {
  let storage: SqliteStorage;
  let paths: SqlWebhookPaths;
  beforeEach(async () => {
    storage = await createSqliteStorage({ filename: ':memory:' });
    paths = new SqlWebhookPaths({ db: storage.db, dialect: 'sqlite' });
  });
  afterEach(() => storage.close());

  it('gives a path to one region whatever the method, and the same method to one workflow within it', async () => {
    expect(await paths.claim('eu', 'ws1', 'wf1', [{ method: 'POST', path: 'orders' }])).toBeUndefined();
    expect(await paths.claim('us', 'ws2', 'wf2', [{ method: 'GET', path: 'orders' }])).toMatchObject({
      region: 'eu',
      method: 'POST',
      workflowId: 'wf1',
    });
    // Within a region another workflow may take another method, not the same one.
    expect(await paths.claim('eu', 'ws1', 'wf3', [{ method: 'GET', path: 'orders' }])).toBeUndefined();
    expect(await paths.claim('eu', 'ws3', 'wf4', [{ method: 'POST', path: 'orders' }])).toMatchObject({
      workflowId: 'wf1',
    });
    expect(await paths.regionOf('orders')).toBe('eu');
    // A refused claim changes nothing: wf2 holds nothing, and its other path stays free.
    expect(await paths.claim('us', 'ws2', 'wf2', [{ method: 'POST', path: 'refunds' }])).toBeUndefined();
    expect(await paths.regionOf('refunds')).toBe('us');
  });

  it("replaces a workflow's claims and releases them with an empty list", async () => {
    await paths.claim('eu', 'ws1', 'wf1', [
      { method: 'POST', path: 'a' },
      { method: 'POST', path: 'b' },
    ]);
    await paths.claim('eu', 'ws1', 'wf1', [{ method: 'POST', path: 'b' }]);
    expect(await paths.regionOf('a')).toBeUndefined();
    expect(await paths.regionOf('b')).toBe('eu');
    await paths.claim('eu', 'ws1', 'wf1', []);
    expect(await paths.regionOf('b')).toBeUndefined();
    expect(await paths.claim('us', 'ws2', 'wf2', [{ method: 'POST', path: 'b' }])).toBeUndefined();
  });

  it('adopts routes from before the registry, leaving a path two regions held with the first', async () => {
    const route = (workspaceId: string, workflowId: string, method: string, path: string) => ({
      workspaceId,
      workflowId,
      method,
      path,
    });
    expect(await paths.adopt('eu', [route('ws1', 'wf1', 'POST', 'x'), route('ws1', 'wf1', 'GET', 'x')])).toEqual([]);
    const refused = await paths.adopt('us', [route('ws2', 'wf2', 'PUT', 'x'), route('ws2', 'wf2', 'POST', 'y')]);
    expect(refused).toEqual([{ ...route('ws2', 'wf2', 'PUT', 'x'), region: 'us' }]);
    expect(await paths.regionOf('x')).toBe('eu');
    expect(await paths.regionOf('y')).toBe('us');
    // Adopting again (every start) is a no-op.
    expect(await paths.adopt('eu', [route('ws1', 'wf1', 'POST', 'x')])).toEqual([]);
  });
});
