import type { JobQueue } from '@weft/engine';

/**
 * Creates a fresh, empty queue for one test. `connectPeer`, when the backend can share its data
 * between instances (two connections to one database), opens a second instance on the same data;
 * the reliability tests that need it are skipped for backends without it.
 */
export type QueueFactory = () => Promise<{
  queue: JobQueue;
  cleanup?: () => Promise<void>;
  connectPeer?: () => Promise<JobQueue>;
}>;
