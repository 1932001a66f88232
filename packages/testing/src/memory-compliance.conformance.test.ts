import { MemoryAuditStore, MemorySubjectKeyStore } from '@weft/engine';
import { describeArchivableAuditStoreConformance } from './archivable-audit-store-conformance.js';
import { describeSubjectKeyStoreConformance } from './subject-key-store-conformance.js';

describeArchivableAuditStoreConformance('memory', async () => ({ store: new MemoryAuditStore() }));
describeSubjectKeyStoreConformance('memory', async () => ({ store: new MemorySubjectKeyStore() }));
