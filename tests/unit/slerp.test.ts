import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { slerpLatents } from '../../src/core/slerp';

const norm = (x: Float32Array) => Math.hypot(...x);

describe('slerpLatents', () => {
  it('starts at a, ends at b, and keeps the norm of equal-norm endpoints along the way', () => {
    const a = Float32Array.from([3, 0, 0, 0]);
    const b = Float32Array.from([0, 3, 0, 0]);
    const z = slerpLatents(a, b, 5);
    expect([...z.subarray(0, 4)]).toEqual([...a]);
    expect(z[16]).toBeCloseTo(0, 6);
    expect(z[17]).toBeCloseTo(3, 6);
    for (let s = 0; s < 5; s++) expect(norm(z.subarray(s * 4, s * 4 + 4))).toBeCloseTo(3, 5);
    // Halfway along the quarter circle: 45°.
    expect(z[8]).toBeCloseTo(3 * Math.SQRT1_2, 5);
    expect(z[9]).toBeCloseTo(3 * Math.SQRT1_2, 5);
  });

  it('falls back to a straight line for (almost) parallel endpoints, with finite values', () => {
    const a = new Rng(1).normals(16);
    const z = slerpLatents(a, a, 3);
    for (let s = 0; s < 3; s++) for (let i = 0; i < 16; i++) expect(z[s * 16 + i]).toBeCloseTo(a[i]!, 5);
  });
});
