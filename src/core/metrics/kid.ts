/**
 * Kernel Inception Distance (KID) between two feature sets, as ALGORITHM.md §4 and torch-fidelity
 * compute it: the polynomial kernel k(x, y) = (xᵀy/d + 1)³, the unbiased MMD² of each subset
 *
 *   MMD² = [Σ_{i≠j} k(xᵢ,xⱼ) + Σ_{i≠j} k(yᵢ,yⱼ)] / (m(m−1)) − 2·Σ_{i,j} k(xᵢ,yⱼ) / m²,
 *
 * over `subsets` pairs of subsets of m samples, each drawn without replacement (seeded), and the
 * mean and the population standard deviation (numpy's np.std, as torch-fidelity) over subsets.
 * Defaults as torch-fidelity: 100 subsets of 1000; m is clamped to the smaller set's size. The
 * MMD² is unbiased, so it can be slightly negative when both sets come from one distribution.
 *
 * Everything is Float64. When the full kernel matrices are small (≤ KID_FULL_KERNEL_LIMIT entries
 * in all) and cheaper than per-subset kernels, they are computed once and the subsets sum
 * entries of them; otherwise each subset's kernels are computed directly. Both give the same sums.
 */
import type { Rng } from '../rng';
import { toMatrix, type FeatureInput, type Matrix } from './linalg';

export interface KidOptions {
  /** Number of subsets (default 100). */
  subsets?: number;
  /** Samples per subset, clamped to the smaller set (default 1000). */
  subsetSize?: number;
  /**
   * 'full': compute the three full kernel matrices once; 'subsets': each subset's kernels;
   * 'auto' (default): 'full' when it fits KID_FULL_KERNEL_LIMIT and costs less. Same result.
   */
  kernels?: 'auto' | 'full' | 'subsets';
}

export interface KidResult {
  mean: number;
  /** Population std over subsets (np.std, as torch-fidelity). */
  std: number;
  subsets: number;
  /** m, after clamping to the sample count. */
  subsetSize: number;
  n1: number;
  n2: number;
  dim: number;
}

/** Entries of the full kernel matrices (K₁₁, K₂₂, K₁₂ together) held at most: 16M Float64 = 128 MB. */
export const KID_FULL_KERNEL_LIMIT = 16 * 1024 * 1024;

function kernelValue(x: Float64Array, i: number, y: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let k = 0; k < d; k++) s += x[a + k]! * y[b + k]!;
  const t = s / d + 1;
  return t * t * t;
}

/** Full kernel matrix K[i·ny + j] = k(xᵢ, yⱼ); `symmetric` fills only what an i<j sum reads plus the mirror. */
function fullKernel(x: Matrix, y: Matrix, symmetric: boolean): Float64Array {
  const d = x.cols;
  const K = new Float64Array(x.rows * y.rows);
  for (let i = 0; i < x.rows; i++)
    for (let j = symmetric ? i + 1 : 0; j < y.rows; j++) {
      const v = kernelValue(x.data, i, y.data, j, d);
      K[i * y.rows + j] = v;
      if (symmetric) K[j * y.rows + i] = v;
    }
  return K;
}

/** Picks m distinct indices of [0, n) into out[0..m) by a partial Fisher–Yates shuffle of `perm`. */
function drawSubset(perm: Int32Array, m: number, rng: Rng): Int32Array {
  const n = perm.length;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm.subarray(0, m);
}

export function kid(a: FeatureInput, b: FeatureInput, rng: Rng, options: KidOptions = {}): KidResult {
  const x = toMatrix(a, 'first feature set');
  const y = toMatrix(b, 'second feature set');
  if (x.cols !== y.cols) throw new Error(`KID: feature dimensions differ (${x.cols} vs ${y.cols})`);
  if (x.cols < 1) throw new Error('KID: feature vectors are empty');
  const subsets = options.subsets ?? 100;
  if (!Number.isInteger(subsets) || subsets < 1) throw new Error(`KID: subsets must be a positive integer, got ${subsets}`);
  const requested = options.subsetSize ?? 1000;
  if (!Number.isInteger(requested) || requested < 2) throw new Error(`KID: subsetSize must be an integer ≥ 2, got ${requested}`);
  const m = Math.min(requested, x.rows, y.rows);
  if (m < 2) throw new Error(`KID needs at least 2 samples per set, got ${x.rows} and ${y.rows}`);
  const d = x.cols;
  const n1 = x.rows;
  const n2 = y.rows;

  const fullEntries = n1 * n1 + n2 * n2 + n1 * n2;
  const fullCost = (n1 * n1) / 2 + (n2 * n2) / 2 + n1 * n2;
  const subsetCost = subsets * 2 * m * m;
  const mode = options.kernels ?? 'auto';
  const precompute = mode === 'full' || (mode === 'auto' && fullEntries <= KID_FULL_KERNEL_LIMIT && fullCost <= subsetCost);
  const K11 = precompute ? fullKernel(x, x, true) : null;
  const K22 = precompute ? fullKernel(y, y, true) : null;
  const K12 = precompute ? fullKernel(x, y, false) : null;

  const kxx = (i: number, j: number) => (K11 ? K11[i * n1 + j]! : kernelValue(x.data, i, x.data, j, d));
  const kyy = (i: number, j: number) => (K22 ? K22[i * n2 + j]! : kernelValue(y.data, i, y.data, j, d));
  const kxy = (i: number, j: number) => (K12 ? K12[i * n2 + j]! : kernelValue(x.data, i, y.data, j, d));

  const perm1 = Int32Array.from({ length: n1 }, (_, i) => i);
  const perm2 = Int32Array.from({ length: n2 }, (_, i) => i);
  const mmds = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    const I = drawSubset(perm1, m, rng).slice();
    const J = drawSubset(perm2, m, rng).slice();
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let p = 0; p < m; p++) {
      const ip = I[p]!;
      const jp = J[p]!;
      for (let q = p + 1; q < m; q++) {
        sxx += kxx(ip, I[q]!);
        syy += kyy(jp, J[q]!);
      }
      for (let q = 0; q < m; q++) sxy += kxy(ip, J[q]!);
    }
    mmds[s] = (2 * (sxx + syy)) / (m * (m - 1)) - (2 * sxy) / (m * m);
  }
  let mean = 0;
  for (const v of mmds) mean += v;
  mean /= subsets;
  let v2 = 0;
  for (const v of mmds) v2 += (v - mean) ** 2;
  return { mean, std: Math.sqrt(v2 / subsets), subsets, subsetSize: m, n1, n2, dim: d };
}
