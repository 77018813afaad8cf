import { beforeAll, describe, expect, it } from 'vitest';
import { makeShapes } from '../../src/core/data/shapes';
import { fid, frechetDistance, FID_OFFSET } from '../../src/core/metrics/fid';
import { kid } from '../../src/core/metrics/kid';
import { covariance, matmul, matrix, mean, sqrtmPsd, symEig, type Matrix } from '../../src/core/metrics/linalg';
import { laplacianPyramid, pyrDown, pyrUp, radixSort, swd, swdResolutions, type ImageBatch } from '../../src/core/metrics/swd';
import { Rng } from '../../src/core/rng';
import { useBackend } from './helpers';

// ---------------------------------------------------------------------------------------------
// helpers

function randomMatrix(rng: Rng, rows: number, cols: number): Matrix {
  return matrix(rows, cols, Array.from({ length: rows * cols }, () => rng.normal()));
}

function transpose(a: Matrix): Matrix {
  const t = matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A random symmetric positive definite d×d matrix B·Bᵀ/d + δI. */
function randomSpd(rng: Rng, d: number, delta = 0.1): Matrix {
  const b = randomMatrix(rng, d, d);
  const s = matmul(b, transpose(b));
  for (let i = 0; i < d * d; i++) s.data[i]! /= d;
  for (let i = 0; i < d; i++) s.data[i * d + i]! += delta;
  return s;
}

/** A random orthogonal matrix (the eigenvectors of a random symmetric matrix). */
function randomOrthogonal(rng: Rng, d: number): Matrix {
  return symEig(randomSpd(rng, d)).vectors;
}

/** Q·diag(v)·Qᵀ. */
function withEigen(q: Matrix, v: number[]): Matrix {
  const d = v.length;
  const out = matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += q.data[i * d + k]! * v[k]! * q.data[j * d + k]!;
      out.data[i * d + j] = s;
    }
  return out;
}

/** N samples of N(μ, Σ) as a flat N×D feature matrix: x = μ + L·z with L = √Σ. */
function gaussianSamples(rng: Rng, n: number, mu: number[], sigma: Matrix): { data: Float64Array; rows: number; cols: number } {
  const d = mu.length;
  const root = sqrtmPsd(sigma);
  const data = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let j = 0; j < d; j++) {
      let s = mu[j]!;
      for (let k = 0; k < d; k++) s += root.data[j * d + k]! * z[k]!;
      data[i * d + j] = s;
    }
  }
  return { data, rows: n, cols: d };
}

function batch(pixels: Uint8Array, count: number, size: number, channels = 3): ImageBatch {
  return { pixels, count, size, channels };
}

/** Separable box blur of radius r on uint8 RGB images, clamped borders. */
function boxBlur(x: ImageBatch, r: number): ImageBatch {
  const s = x.size;
  const tmp = new Float64Array(x.pixels.length);
  const out = new Uint8Array(x.pixels.length);
  const at = (i: number, y: number, xx: number, c: number) => ((i * s + y) * s + xx) * 3 + c;
  const clamp = (v: number) => Math.min(s - 1, Math.max(0, v));
  for (let i = 0; i < x.count; i++)
    for (let y = 0; y < s; y++)
      for (let xx = 0; xx < s; xx++)
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let d = -r; d <= r; d++) acc += x.pixels[at(i, y, clamp(xx + d), c)]!;
          tmp[at(i, y, xx, c)] = acc / (2 * r + 1);
        }
  for (let i = 0; i < x.count; i++)
    for (let y = 0; y < s; y++)
      for (let xx = 0; xx < s; xx++)
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let d = -r; d <= r; d++) acc += tmp[at(i, clamp(y + d), xx, c)]!;
          out[at(i, y, xx, c)] = Math.round(acc / (2 * r + 1));
        }
  return { ...x, pixels: out };
}

function addNoise(x: ImageBatch, sigma: number, seed: number): ImageBatch {
  const rng = new Rng(seed);
  const out = new Uint8Array(x.pixels.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(x.pixels[i]! + sigma * rng.normal())));
  return { ...x, pixels: out };
}

// ---------------------------------------------------------------------------------------------

describe('linear algebra (Float64)', () => {
  it('mean and unbiased covariance', () => {
    const x = matrix(4, 2, [1, 2, 3, 4, 5, 0, 7, 2]);
    expect([...mean(x)]).toEqual([4, 2]);
    // Σ = Σᵢ (xᵢ−μ)(xᵢ−μ)ᵀ / (N−1): x−μ = (−3,0), (−1,2), (1,−2), (3,0)
    expect([...covariance(x).data]).toEqual([20 / 3, -4 / 3, -4 / 3, 8 / 3]);
    expect(() => covariance(matrix(1, 2, [1, 2]))).toThrow(/at least 2 samples/);
  });

  it('symmetric eigendecomposition reconstructs A with orthonormal vectors', () => {
    const rng = new Rng(1);
    for (const d of [1, 2, 7, 48]) {
      const b = randomMatrix(rng, d, d);
      const a = matrix(d, d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a.data[i * d + j] = b.data[i * d + j]! + b.data[j * d + i]!;
      const { values, vectors } = symEig(a);
      for (let i = 1; i < d; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
      expect(maxAbsDiff(withEigen(vectors, [...values]).data, a.data)).toBeLessThan(1e-11 * d);
      const vtv = matmul(transpose(vectors), vectors);
      expect(maxAbsDiff(vtv.data, identityData(d))).toBeLessThan(1e-12 * d);
    }
    expect(() => symEig(matrix(2, 3))).toThrow(/non-square/);
  });

  it('sqrtm of a symmetric PSD matrix squares back to it, and rejects indefinite ones', () => {
    const rng = new Rng(2);
    for (const d of [3, 32]) {
      const a = randomSpd(rng, d, 0.01);
      const r = sqrtmPsd(a);
      expect(maxAbsDiff(matmul(r, r).data, a.data)).toBeLessThan(1e-11);
      expect(maxAbsDiff(r.data, transpose(r).data)).toBeLessThan(1e-13);
    }
    // Singular PSD (rank 1): still fine.
    const v = matrix(3, 1, [1, 2, 3]);
    const rank1 = matmul(v, transpose(v));
    const r = sqrtmPsd(rank1);
    expect(maxAbsDiff(matmul(r, r).data, rank1.data)).toBeLessThan(1e-12);
    expect(() => sqrtmPsd(matrix(2, 2, [1, 0, 0, -1]))).toThrow(/not positive semidefinite/);
  });
});

function identityData(d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = 1;
  return out;
}

describe('FID', () => {
  it('is 0 between a set and itself (to rounding)', () => {
    const rng = new Rng(3);
    const sigma = randomSpd(rng, 16);
    const x = gaussianSamples(rng, 400, Array.from({ length: 16 }, () => rng.normal()), sigma);
    const r = fid(x, x);
    expect(Math.abs(r.fid)).toBeLessThan(1e-9);
    expect(r).toMatchObject({ n1: 400, n2: 400, dim: 16, offset: 0 });
    expect(r.warning).toBeUndefined();
  });

  it('matches the closed form for commuting covariances: ‖Δμ‖² + Σ(√aᵢ − √bᵢ)²', () => {
    const rng = new Rng(4);
    const d = 12;
    const q = randomOrthogonal(rng, d);
    const a = Array.from({ length: d }, () => 0.1 + 3 * rng.next());
    const b = Array.from({ length: d }, () => 0.1 + 3 * rng.next());
    const mu1 = Array.from({ length: d }, () => rng.normal());
    const mu2 = Array.from({ length: d }, () => rng.normal());
    let expected = 0;
    for (let i = 0; i < d; i++) expected += (mu1[i]! - mu2[i]!) ** 2 + (Math.sqrt(a[i]!) - Math.sqrt(b[i]!)) ** 2;
    const r = frechetDistance(mu1, withEigen(q, a), mu2, withEigen(q, b));
    expect(r.offset).toBe(0);
    expect(Math.abs(r.fid - expected)).toBeLessThan(1e-10 * expected);
  });

  it('matches the 2-d closed form Tr √M = √(Tr M + 2√det M) for non-commuting covariances', () => {
    const rng = new Rng(5);
    for (let t = 0; t < 5; t++) {
      const s1 = randomSpd(rng, 2);
      const s2 = randomSpd(rng, 2);
      const [a, b, , c] = s1.data as unknown as number[];
      const [e, f, , g] = s2.data as unknown as number[];
      const det1 = a! * c! - b! * b!;
      const det2 = e! * g! - f! * f!;
      const trProduct = a! * e! + 2 * b! * f! + c! * g!;
      const trRoot = Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
      const mu1 = [rng.normal(), rng.normal()];
      const mu2 = [rng.normal(), rng.normal()];
      const expected = (mu1[0]! - mu2[0]!) ** 2 + (mu1[1]! - mu2[1]!) ** 2 + a! + c! + e! + g! - 2 * trRoot;
      expect(frechetDistance(mu1, s1, mu2, s2).fid).toBeCloseTo(expected, 10);
    }
  });

  it('of two Gaussian samples approaches the population closed form at large N', () => {
    const rng = new Rng(6);
    const d = 4;
    const q = randomOrthogonal(rng, d);
    const a = [0.5, 1, 2, 4];
    const b = [1, 1, 0.5, 3];
    const mu1 = [0, 0, 0, 0];
    const mu2 = [0.5, -0.5, 0.25, 0];
    let expected = 0;
    for (let i = 0; i < d; i++) expected += (mu1[i]! - mu2[i]!) ** 2 + (Math.sqrt(a[i]!) - Math.sqrt(b[i]!)) ** 2;
    const n = 20_000;
    const r = fid(gaussianSamples(rng, n, mu1, withEigen(q, a)), gaussianSamples(rng, n, mu2, withEigen(q, b)));
    expect(r.fid).toBeGreaterThan(0.9 * expected);
    expect(r.fid).toBeLessThan(1.1 * expected);
  });

  it('accepts nested arrays and flat arrays alike, warns when N ≤ D, rejects bad input', () => {
    const rng = new Rng(7);
    const flat = randomMatrix(rng, 30, 3);
    const other = randomMatrix(rng, 40, 3);
    const nested = Array.from({ length: 30 }, (_, i) => [...flat.data.subarray(i * 3, i * 3 + 3)]);
    const f32 = { data: Float32Array.from(other.data), rows: 40, cols: 3 };
    const r1 = fid(flat, f32);
    const r2 = fid(nested, f32);
    expect(r2.fid).toBeCloseTo(r1.fid, 12);
    expect(r1.warning).toBeUndefined();

    const few = fid(randomMatrix(rng, 5, 8), randomMatrix(rng, 50, 8));
    expect(Number.isFinite(few.fid)).toBe(true);
    expect(few.warning).toMatch(/more samples than feature dimensions: N = 5 ≤ D = 8/);

    expect(() => fid(randomMatrix(rng, 10, 3), randomMatrix(rng, 10, 4))).toThrow(/feature dimensions differ \(3 vs 4\)/);
    expect(() => fid(randomMatrix(rng, 1, 3), randomMatrix(rng, 10, 3))).toThrow(/at least 2 samples/);
    expect(() => fid([[1, 2], [3]], [[1, 2], [3, 4]])).toThrow(/row 1 has 1 values/);
    expect(() => fid([[1, NaN], [3, 4]], [[1, 2], [3, 4]])).toThrow(/NaN/);
    expect(() => frechetDistance([0, 0], matrix(2, 2, [1, 0, 0, 1]), [0], matrix(1, 1, [1]))).toThrow(/mismatched dimensions/);
  });

  it('adds 1e-6·I to both covariances when the root is not real, and throws if that does not help', () => {
    const eye = matrix(2, 2, [1, 0, 0, 1]);
    // An eigenvalue of −1.5e-6 lies beyond the clamp tolerance (1e-6) but within reach of the offset.
    const r = frechetDistance([0, 0], matrix(2, 2, [1, 0, 0, -1.5e-6]), [0, 0], eye);
    expect(r.offset).toBe(FID_OFFSET);
    // With the offset: √Σ₁' = diag(√(1+1e-6), 0) (−0.5e-6 clamped), Tr √M = 1 + 1e-6; the traces keep Σ.
    expect(r.fid).toBeCloseTo(1 - 1.5e-6 + 2 - 2 * (1 + 1e-6), 9);
    expect(() => frechetDistance([0, 0], matrix(2, 2, [1, 0, 0, -1]), [0, 0], eye)).toThrow(/not real even after adding 1e-6·I/);
  });
});

describe('KID', () => {
  /** The unbiased MMD² of whole sets, straight from the definition. */
  function mmd2(x: Matrix, y: Matrix): number {
    const d = x.cols;
    const m = x.rows;
    const k = (p: Matrix, i: number, q: Matrix, j: number) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += p.data[i * d + t]! * q.data[j * d + t]!;
      return (s / d + 1) ** 3;
    };
    let xx = 0;
    let yy = 0;
    let xy = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        if (i !== j) {
          xx += k(x, i, x, j);
          yy += k(y, i, y, j);
        }
        xy += k(x, i, y, j);
      }
    return (xx + yy) / (m * (m - 1)) - (2 * xy) / (m * m);
  }

  it('is the unbiased MMD² with the cubic polynomial kernel', () => {
    const rng = new Rng(8);
    const x = randomMatrix(rng, 20, 5);
    const y = randomMatrix(rng, 20, 5);
    for (let i = 0; i < y.data.length; i++) y.data[i]! += 0.3;
    // One subset of all samples: the order of the draw does not matter.
    for (const kernels of ['full', 'subsets'] as const) {
      const r = kid(x, y, new Rng(1), { subsets: 1, subsetSize: 20, kernels });
      expect(r.mean).toBeCloseTo(mmd2(x, y), 12);
      expect(r.std).toBe(0);
    }
  });

  it('is ≈ 0 for two samples of one distribution and clearly positive for different ones', () => {
    const rng = new Rng(9);
    const d = 8;
    const sigma = randomSpd(rng, d, 0.5);
    const zero = new Array<number>(d).fill(0);
    const a = gaussianSamples(rng, 600, zero, sigma);
    const b = gaussianSamples(rng, 600, zero, sigma);
    const c = gaussianSamples(rng, 600, new Array<number>(d).fill(0.4), sigma);
    const opts = { subsets: 40, subsetSize: 200 };
    const same = kid(a, b, new Rng(1), opts);
    const diff = kid(a, c, new Rng(1), opts);
    expect(Math.abs(same.mean)).toBeLessThan(same.std);
    // Measured: same 0.003 ± 0.048, different 0.83 ± 0.21 (mean ± std over subsets).
    expect(diff.mean).toBeGreaterThan(3 * diff.std);
    expect(diff.mean).toBeGreaterThan(10 * same.std);
    expect(same).toMatchObject({ subsets: 40, subsetSize: 200, n1: 600, n2: 600, dim: d });
  });

  it('gives the same subsets and sums with full or per-subset kernels, clamps m, rejects bad input', () => {
    const rng = new Rng(10);
    const x = randomMatrix(rng, 50, 4);
    const y = randomMatrix(rng, 30, 4);
    const full = kid(x, y, new Rng(2), { subsets: 5, subsetSize: 10, kernels: 'full' });
    const per = kid(x, y, new Rng(2), { subsets: 5, subsetSize: 10, kernels: 'subsets' });
    expect(per.mean).toBeCloseTo(full.mean, 12);
    expect(per.std).toBeCloseTo(full.std, 12);
    expect(kid(x, y, new Rng(2), { subsets: 2 }).subsetSize).toBe(30); // default 1000, clamped
    expect(kid(x, y, new Rng(3)).subsets).toBe(100);
    expect(() => kid(x, randomMatrix(rng, 30, 5), new Rng(1))).toThrow(/feature dimensions differ \(4 vs 5\)/);
    expect(() => kid(x, randomMatrix(rng, 1, 4), new Rng(1))).toThrow(/at least 2 samples/);
  });
});

describe('SWD (ProGAN)', () => {
  beforeAll(() => useBackend('wasm'));

  it('builds pyramid levels for every resolution ≥ 16', () => {
    expect(swdResolutions(32)).toEqual([32, 16]);
    expect(swdResolutions(16)).toEqual([16]);
    expect(swdResolutions(128)).toEqual([128, 64, 32, 16]);
    expect(() => swdResolutions(8)).toThrow(/undefined below 16×16/);
    expect(() => swdResolutions(24)).toThrow(/power-of-two/);
  });

  it('blurs with the binomial kernel and mirror borders (d c b | a b c d)', () => {
    const s = 16;
    const impulse = (x: number, y: number) => {
      const p = new Float32Array(s * s);
      p[y * s + x] = 256;
      return p;
    };
    // Kernel taps [1 4 6 4 1]/16 per axis. At the corner, pixel 1 is reached twice (from −1 and 1).
    expect(pyrDown(impulse(0, 0), s)[0]).toBe(36);
    expect(pyrDown(impulse(1, 0), s)[0]).toBe(8 * 6);
    expect(pyrDown(impulse(1, 1), s)[0]).toBe(8 * 8);
    expect(pyrDown(impulse(2, 0), s)[0]).toBe(2 * 6); // reached from −2 and 2
    expect(pyrDown(impulse(2, 2), s)[1 * (s / 2) + 1]).toBe(36); // interior: centre tap
    // Constants pass through down and up unchanged (the 4× gain compensates the inserted zeros).
    const c = new Float32Array(8 * 8).fill(100);
    expect([...new Set(pyrUp(c, 8))]).toEqual([100]);
    expect([...new Set(pyrDown(new Float32Array(s * s).fill(100), s))]).toEqual([100]);
    // Laplacian levels: G₀ − up(G₁), and the low-pass last.
    const rng = new Rng(11);
    const img = Float32Array.from({ length: 32 * 32 }, () => Math.round(255 * rng.next()));
    const [l0, l1] = laplacianPyramid(img, 32, 1, 2);
    const g1 = pyrDown(img, 32);
    expect(l1).toEqual(g1);
    const back = pyrUp(g1, 16).map((v, i) => v + l0![i]!);
    expect(maxAbsDiff(back, img)).toBeLessThan(1e-4);
  });

  it('radix-sorts Float32 values exactly as Array.prototype.sort does', () => {
    const rng = new Rng(12);
    const v = Float32Array.from({ length: 5000 }, () => (rng.next() - 0.5) * 10 ** (6 * rng.next() - 3));
    v.set([0, -0, 1e30, -1e30, 1e-40, -1e-40, 3, 3, -3], 0);
    const expected = [...v].sort((a, b) => a - b);
    const out = new Float32Array(v.length);
    radixSort(v, out);
    expect([...out].map((x) => x + 0)).toEqual(expected.map((x) => x + 0)); // +0: −0 and 0 compare equal
  });

  it('rejects unequal sets, sizes below 16 px and odd channel counts', async () => {
    const a = makeShapes({ count: 4, size: 16, seed: 1 });
    const b = makeShapes({ count: 5, size: 16, seed: 2 });
    const c = makeShapes({ count: 4, size: 32, seed: 2 });
    const tiny = makeShapes({ count: 4, size: 8, seed: 2 });
    await expect(swd(a, b, new Rng(1))).rejects.toThrow(/equal sizes, got 4 images of 16×16 and 5 of 16×16/);
    await expect(swd(a, c, new Rng(1))).rejects.toThrow(/equal sizes/);
    await expect(swd(tiny, tiny, new Rng(1))).rejects.toThrow(/undefined below 16×16/);
    await expect(swd(a, { ...a, channels: 4 }, new Rng(1))).rejects.toThrow(/1 or 3 channels/);
    await expect(swd(a, { ...a, pixels: a.pixels.subarray(1) }, new Rng(1))).rejects.toThrow(/holds/);
  });

  it('is seeded, tiles grayscale to RGB, and sorts the same with radix, typed-array and tf.topk', async () => {
    const a = makeShapes({ count: 6, size: 16, seed: 1 });
    const b = makeShapes({ count: 6, size: 16, seed: 2 });
    const opts = { patchesPerImage: 16, dirsPerRepeat: 32 };
    const r1 = await swd(a, b, new Rng(5), opts);
    expect(await swd(a, b, new Rng(5), opts)).toEqual(r1);
    expect((await swd(a, b, new Rng(6), opts)).avg).not.toBe(r1.avg);
    expect(r1.levels.map((l) => l.res)).toEqual([16]);
    expect(r1.avg).toBe(r1.levels[0]!.swd);
    for (const sort of ['typed', 'topk'] as const) expect((await swd(a, b, new Rng(5), { ...opts, sort })).avg).toBe(r1.avg);

    const grey = (x: ImageBatch) => batch(x.pixels.filter((_, i) => i % 3 === 1), x.count, x.size, 1);
    const tiled = (x: ImageBatch) => batch(x.pixels.map((_, i) => x.pixels[i - (i % 3) + 1]!), x.count, x.size, 3);
    const g = await swd(grey(a), grey(b), new Rng(5), opts);
    expect(g).toEqual(await swd(tiled(a), tiled(b), new Rng(5), opts));
  });

  it('is small between two halves of one set and grows monotonically with blur and with noise', async () => {
    const half = 64;
    const per = 32 * 32 * 3;
    const set = makeShapes({ count: 2 * half, size: 32, seed: 7 });
    const a = batch(set.pixels.subarray(0, half * per), half, 32);
    const b = batch(set.pixels.subarray(half * per), half, 32);
    // The same seed each time: same patch positions and directions, so only the images differ.
    const run = async (fake: ImageBatch) => (await swd(a, fake, new Rng(1))).avg;
    const same = await run(b);
    const blurred: number[] = [];
    for (const r of [1, 2, 3]) blurred.push(await run(boxBlur(b, r)));
    const noisy: number[] = [];
    for (const sigma of [8, 24, 64]) noisy.push(await run(addNoise(b, sigma, 3)));
    for (let i = 1; i < 3; i++) {
      expect(blurred[i]!).toBeGreaterThan(blurred[i - 1]!);
      expect(noisy[i]!).toBeGreaterThan(noisy[i - 1]!);
    }
    expect(same).toBeLessThan(blurred[0]!);
    expect(same).toBeLessThan(noisy[0]!);
    expect(same).toBeLessThan(noisy[2]! / 3);
  });
});
