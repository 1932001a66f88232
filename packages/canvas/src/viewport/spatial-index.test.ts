import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersects, SpatialIndex, visibleArea } from './spatial-index.js';

const rect = fc.record({
  x: fc.integer({ min: -5000, max: 5000 }),
  y: fc.integer({ min: -5000, max: 5000 }),
  width: fc.integer({ min: 1, max: 600 }),
  height: fc.integer({ min: 1, max: 600 }),
});

describe('SpatialIndex', () => {
  it('finds exactly the rectangles a brute-force scan finds', () => {
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 200 }), rect, (rects, area) => {
        const index = new SpatialIndex<number>(300);
        for (const [i, r] of rects.entries()) index.insert(i, r);
        const expected = rects.flatMap((r, i) => (intersects(r, area) ? [i] : []));
        expect([...index.query(area)].sort((a, b) => a - b)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('answers huge areas by scanning instead of enumerating cells', () => {
    const index = new SpatialIndex<string>(100);
    index.insert('a', { x: 0, y: 0, width: 10, height: 10 });
    expect(index.query({ x: -1e7, y: -1e7, width: 2e7, height: 2e7 })).toEqual(new Set(['a']));
  });
});

describe('visibleArea', () => {
  it('maps the pane through the transform with a screen-space margin', () => {
    expect(visibleArea([0, 0, 2], 800, 600, 200)).toEqual({ x: -100, y: -100, width: 600, height: 500 });
    expect(visibleArea([-400, -200, 1], 800, 600, 0)).toEqual({ x: 400, y: 200, width: 800, height: 600 });
  });
});
