import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageAt, sampleBatch } from '../../src/core/data/imageSet';
import { makeShapes } from '../../src/core/data/shapes';
import { imagesToGrid } from '../../src/core/grid';
import { Rng } from '../../src/core/rng';
import { useBackend } from './helpers';

describe('shapes data set', () => {
  beforeAll(() => useBackend('wasm'));

  it('is determined by its seed, at any power-of-two size', () => {
    const a = makeShapes({ count: 8, size: 16, seed: 1 });
    expect(a.pixels).toEqual(makeShapes({ count: 8, size: 16, seed: 1 }).pixels);
    expect(a.pixels).not.toEqual(makeShapes({ count: 8, size: 16, seed: 2 }).pixels);
    expect(makeShapes({ count: 2, size: 64, seed: 1 }).pixels).toHaveLength(2 * 64 * 64 * 3);
    expect(() => makeShapes({ count: 2, size: 24, seed: 1 })).toThrow(/power of two/);
    expect(() => makeShapes({ count: 0, size: 16, seed: 1 })).toThrow(/count/);
  });

  it('draws a shape on a plain background', () => {
    const set = makeShapes({ count: 20, size: 32, seed: 4 });
    for (let i = 0; i < set.count; i++) {
      const img = imageAt(set, i);
      const corner = [img[0], img[1], img[2]];
      const centreish = new Set<string>();
      let background = 0;
      for (let p = 0; p < 32 * 32; p++) {
        const px = [img[3 * p], img[3 * p + 1], img[3 * p + 2]];
        if (px.every((v, c) => v === corner[c])) background++;
        else centreish.add(px.join());
      }
      expect(background).toBeGreaterThan(32 * 32 * 0.3); // mostly background …
      expect(background).toBeLessThan(32 * 32 * 0.95); // … and a shape of real size
    }
  });

  it('serves batches in [−1, 1] average-pooled to the current resolution', () => {
    const set = makeShapes({ count: 4, size: 16, seed: 1 });
    const rng = new Rng(1);
    const full = sampleBatch(set, 3, 16, rng);
    expect(full.shape).toEqual([3, 16, 16, 3]);
    const v = full.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    const small = sampleBatch(set, 3, 4, new Rng(1));
    const pooled = tf.avgPool(full, 4, 4, 'valid');
    expect(Array.from(small.dataSync())).toEqual(Array.from(pooled.dataSync()).map((x) => expect.closeTo(x, 5)));
    tf.dispose([full, small, pooled]);
    expect(() => sampleBatch(set, 2, 32, rng)).toThrow(/cannot draw 32×32/);
  });

  it('lays images out in a grid with gutters', () => {
    const g = imagesToGrid(new Float32Array([-1, 1, 1, -1]), 4, 1, 1, 2, 2);
    expect([g.width, g.height]).toEqual([7, 7]);
    expect(g.data[(1 * 7 + 1) * 4]).toBe(0); // image 0 is black
    expect(g.data[(1 * 7 + 4) * 4]).toBe(255); // image 1 is white
  });
});

describe('Rng', () => {
  it('repeats from a seed and from a snapshot', () => {
    const a = new Rng(42);
    a.normals(3);
    const snap = a.snapshot;
    const next = a.normals(5);
    expect(Rng.restore(snap).normals(5)).toEqual(next);
    const u = new Rng(1).uniforms(10000);
    const mean = u.reduce((s, x) => s + x, 0) / u.length;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(() => new Rng(NaN)).toThrow(/finite/);
  });
});
