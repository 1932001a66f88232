import { BlobUrlSigner, MemoryBlobStorage, serveSignedBlob } from '@weft/engine';
import { describeBlobStoreConformance } from './blob-store-conformance.js';
import { startWebHandlerServer } from './web-handler-server.js';

describeBlobStoreConformance(
  'memory',
  async (buckets) => {
    const server = await startWebHandlerServer();
    const signer = new BlobUrlSigner({
      baseUrl: `${server.url}/blobs`,
      secret: 'memory-conformance-secret-of-32-bytes!',
    });
    const storage = new MemoryBlobStorage({ buckets, signer });
    server.handler = (request) => serveSignedBlob(request, { signer, bucket: (name) => storage.byName(name) });
    return { storage, cleanup: () => server.close() };
  },
  { versioning: true },
);
