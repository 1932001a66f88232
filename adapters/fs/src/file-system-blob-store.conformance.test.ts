import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobUrlSigner, serveSignedBlob } from '@weft/engine';
import { describeBlobStoreConformance, startWebHandlerServer } from '@weft/testing';
import { FileSystemBlobStorage } from './file-system-blob-storage.js';

describeBlobStoreConformance('file system', async (buckets) => {
  const root = await mkdtemp(join(tmpdir(), 'weft-fs-blobs-'));
  const server = await startWebHandlerServer();
  const signer = new BlobUrlSigner({ baseUrl: `${server.url}/blobs`, secret: 'file-system-conformance-secret-32b!' });
  const storage = new FileSystemBlobStorage({ root, buckets, signer });
  server.handler = (request) => serveSignedBlob(request, { signer, bucket: (name) => storage.byName(name) });
  return {
    storage,
    cleanup: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});
