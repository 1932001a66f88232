import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';

describe('MemoryRateLimiter housekeeping', () => {
  it('sweeps keys idle for two windows once many keys are tracked', async () => {
    const clock = new ManualClock(1_699_999_200_000);
    const limiter = new MemoryRateLimiter({ clock });
    for (let i = 0; i < 1000; i++) await limiter.consume(`old${i}`, { limit: 1, windowMs: 1000 });
    await clock.advance(2000);
    for (let i = 0; i < 30; i++) await limiter.consume(`new${i}`, { limit: 1, windowMs: 1000 });
    expect(limiter.size).toBe(30);
  });
});
