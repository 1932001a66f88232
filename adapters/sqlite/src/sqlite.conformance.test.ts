import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BlobStore, MemoryBlobStore } from '@weft/engine';
import {
  describeExecutionStoreConformance,
  describeQueueConformance,
  describeWorkflowStoreConformance,
} from '@weft/testing';
import { createSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

async function fileStorage(opts: { blobThresholdBytes?: number; blobs?: BlobStore } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-sqlite-'));
  const filename = join(dir, 'weft.db');
  const storage = await createSqliteStorage({ filename, ...opts });
  const peers: SqliteStorage[] = [];
  return {
    storage,
    connectPeer: async () => {
      const peer = await createSqliteStorage({ filename, pollIntervalMs: 20 });
      peers.push(peer);
      return peer.queue;
    },
    cleanup: async () => {
      for (const p of peers) await p.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function memoryStorage() {
  const storage = await createSqliteStorage({ filename: ':memory:' });
  return { storage, cleanup: () => storage.close() };
}

describeWorkflowStoreConformance('sqlite file', async () => {
  const { storage, cleanup } = await fileStorage();
  return { store: storage.workflows, cleanup };
});
describeExecutionStoreConformance('sqlite file', async () => {
  const { storage, cleanup } = await fileStorage();
  return { store: storage.executions, cleanup };
});
describeExecutionStoreConformance('sqlite file, payloads over 1 KiB in blobs', async () => {
  const { storage, cleanup } = await fileStorage({ blobThresholdBytes: 1024, blobs: new MemoryBlobStore() });
  return { store: storage.executions, cleanup };
});
describeQueueConformance('sqlite file', async () => {
  const { storage, cleanup, connectPeer } = await fileStorage();
  return { queue: storage.queue, cleanup, connectPeer };
});

describeWorkflowStoreConformance('sqlite :memory:', async () => {
  const { storage, cleanup } = await memoryStorage();
  return { store: storage.workflows, cleanup };
});
describeExecutionStoreConformance('sqlite :memory:', async () => {
  const { storage, cleanup } = await memoryStorage();
  return { store: storage.executions, cleanup };
});
describeQueueConformance('sqlite :memory:', async () => {
  const { storage, cleanup } = await memoryStorage();
  return { queue: storage.queue, cleanup };
});
