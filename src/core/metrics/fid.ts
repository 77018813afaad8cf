/**
 * Fréchet distance between two sets of feature vectors (FID when the features come from a
 * classifier), as ALGORITHM.md §4 defines it:
 *
 *   FID = ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2·Tr √(Σ₁Σ₂),   Σ unbiased (1/(N−1)),
 *
 * computed in Float64 by the symmetric route Tr √(Σ₁Σ₂) = Σᵢ √λᵢ, λ the eigenvalues of the
 * symmetric PSD matrix M = √Σ₁·Σ₂·√Σ₁ (similar to Σ₁Σ₂, so it has the same eigenvalues).
 *
 * Negative eigenvalues. In exact arithmetic Σ₁ and M are PSD; rounding can leave eigenvalues
 * slightly below 0. An eigenvalue λ ≥ −max(1e-6, 1e-9·max|λ|) (of Σ₁ when taking √Σ₁, and of M)
 * is clamped to 0: 1e-6 = (1e-3)² mirrors
 * ALGORITHM's rule that a root whose imaginary part is below 1e-3 counts as real (√λ of such a
 * λ has an imaginary part below 1e-3); the relative part covers features of large scale. If an
 * eigenvalue is more negative, or anything is not finite, 1e-6·I is added to both covariances
 * and the root recomputed (`offset` in the result says so); if that fails too, it throws.
 *
 * Sample size. With N ≤ D the covariance is singular and FID is strongly biased. fid() still
 * returns the value but sets `warning`; callers must show it. Never compare FIDs computed with
 * different N or different feature networks.
 */
import {
  covariance,
  fromEig,
  mean,
  matmul,
  symEig,
  symmetrize,
  toMatrix,
  trace,
  type FeatureInput,
  type Matrix,
} from './linalg';

/** 1e-6·I is added to both covariances when the plain square root fails. */
export const FID_OFFSET = 1e-6;
/** Absolute clamp tolerance for negative eigenvalues of √Σ₁Σ₂√Σ₁: (1e-3)², see the module doc. */
export const FID_NEG_EIG_TOL = 1e-6;

export interface FrechetResult {
  /** The distance. Rounding can leave it a hair below 0 for identical statistics. */
  fid: number;
  /** 0, or FID_OFFSET when 1e-6·I had to be added to both covariances. */
  offset: number;
}

export interface FidResult extends FrechetResult {
  /** Samples in each set and the feature dimension: always report them with the value. */
  n1: number;
  n2: number;
  dim: number;
  /** Set when a set has no more samples than dimensions (singular covariance, unreliable FID). */
  warning?: string;
}

/** Eigenvalues with rounding negatives (≥ −max(1e-6, 1e-9·max|λ|)) clamped to 0, or null if any is more negative. */
function clampedEigenvalues(values: Float64Array): Float64Array | null {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  const tol = Math.max(FID_NEG_EIG_TOL, 1e-9 * scale);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < -tol) return null;
    out[i] = Math.max(v, 0);
  }
  return out;
}

/**
 * Tr √(Σ₁Σ₂) = Σ √λ(√Σ₁·Σ₂·√Σ₁), or null if the root is not real and finite: an eigenvalue of Σ₁
 * or of √Σ₁·Σ₂·√Σ₁ below the tolerance of the module doc, or a non-finite value.
 */
function traceSqrtProduct(s1: Matrix, s2: Matrix): number | null {
  const e1 = symEig(s1);
  const l1 = clampedEigenvalues(e1.values);
  if (!l1) return null;
  const root1 = fromEig({ values: l1, vectors: e1.vectors }, Math.sqrt);
  const lm = clampedEigenvalues(symEig(symmetrize(matmul(matmul(root1, s2), root1))).values);
  if (!lm) return null;
  let tr = 0;
  for (const v of lm) tr += Math.sqrt(v);
  return Number.isFinite(tr) ? tr : null;
}

function addDiagonal(a: Matrix, eps: number): Matrix {
  const out = { rows: a.rows, cols: a.cols, data: a.data.slice() };
  for (let i = 0; i < a.rows; i++) out.data[i * a.cols + i]! += eps;
  return out;
}

/**
 * The Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂) for given statistics (Σ symmetric PSD).
 */
export function frechetDistance(mu1: ArrayLike<number>, sigma1: Matrix, mu2: ArrayLike<number>, sigma2: Matrix): FrechetResult {
  const d = mu1.length;
  if (mu2.length !== d || sigma1.rows !== d || sigma1.cols !== d || sigma2.rows !== d || sigma2.cols !== d)
    throw new Error(
      `frechetDistance: mismatched dimensions (μ₁ ${d}, μ₂ ${mu2.length}, Σ₁ ${sigma1.rows}×${sigma1.cols}, Σ₂ ${sigma2.rows}×${sigma2.cols})`,
    );
  let diff = 0;
  for (let i = 0; i < d; i++) diff += (mu1[i]! - mu2[i]!) ** 2;
  let offset = 0;
  let trRoot = traceSqrtProduct(sigma1, sigma2);
  if (trRoot === null) {
    offset = FID_OFFSET;
    trRoot = traceSqrtProduct(addDiagonal(sigma1, offset), addDiagonal(sigma2, offset));
    if (trRoot === null)
      throw new Error('FID: √(Σ₁Σ₂) is not real even after adding 1e-6·I to both covariances (are the covariances PSD?)');
  }
  // As in pytorch-fid, the offset enters only the root, not Tr Σ₁ + Tr Σ₂.
  const fid = diff + trace(sigma1) + trace(sigma2) - 2 * trRoot;
  if (!Number.isFinite(fid)) throw new Error(`FID is not finite (${fid})`);
  return { fid, offset };
}

/** Mean and unbiased covariance of a feature set. */
export function featureStats(x: FeatureInput, what = 'features'): { mu: Float64Array; sigma: Matrix; n: number; dim: number } {
  const m = toMatrix(x, what);
  if (m.rows < 2) throw new Error(`${what}: FID needs at least 2 samples, got ${m.rows}`);
  if (m.cols < 1) throw new Error(`${what}: feature vectors are empty`);
  const mu = mean(m);
  return { mu, sigma: covariance(m, mu), n: m.rows, dim: m.cols };
}

/** FID between two feature sets (rows = samples); both must have the same feature dimension. */
export function fid(a: FeatureInput, b: FeatureInput): FidResult {
  const s1 = featureStats(a, 'first feature set');
  const s2 = featureStats(b, 'second feature set');
  if (s1.dim !== s2.dim) throw new Error(`FID: feature dimensions differ (${s1.dim} vs ${s2.dim})`);
  const r = frechetDistance(s1.mu, s1.sigma, s2.mu, s2.sigma);
  const out: FidResult = { ...r, n1: s1.n, n2: s2.n, dim: s1.dim };
  const small = Math.min(s1.n, s2.n);
  if (small <= s1.dim)
    out.warning = `FID needs more samples than feature dimensions: N = ${small} ≤ D = ${s1.dim}, so the covariance is singular and the value is unreliable`;
  return out;
}
