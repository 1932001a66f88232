import { describe, expect, it } from 'vitest';
import { freePosition } from './free-position.js';

describe('freePosition', () => {
  it('keeps a free spot and moves a taken one below what it hits, repeatedly', () => {
    expect(freePosition([], [100, 100])).toEqual([100, 100]);
    const taken = [{ x: 100, y: 100, width: 200, height: 62 }];
    expect(freePosition(taken, [100, 100])).toEqual([100, 192]);
    expect(freePosition(taken, [150, 120])).toEqual([150, 192]);
    const stacked = [...taken, { x: 100, y: 192, width: 200, height: 62 }];
    expect(freePosition(stacked, [100, 100])).toEqual([100, 284]);
  });

  it('leaves a spot far enough to the side alone', () => {
    expect(freePosition([{ x: 0, y: 0, width: 200, height: 62 }], [260, 0])).toEqual([260, 0]);
  });
});
