import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestHost } from '../testing/test-host.js';
import { hostAudit } from './host-audit.js';

describe('hostAudit', () => {
  it('keeps entries recorded just before the host closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-audit-close-'));
    const first = await startTestHost({ WEFT_DATA_DIR: dir }, { keepDir: true });
    const token = await first.login('owner@example.com', 'owner-password');
    const ws = (await first.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    for (let i = 0; i < 20; i++)
      await first.call('PATCH', `/api/v1/workspaces/${ws}`, { token, body: { name: `n${i}` } });
    await first.close();
    const again = await startTestHost({ WEFT_DATA_DIR: dir });
    try {
      const v = await hostAudit(again.host.runtime).log.verify(ws);
      expect(v).toMatchObject({ ok: true, entries: 20 });
    } finally {
      await again.close();
    }
  });
});
