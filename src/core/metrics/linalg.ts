/**
 * The little dense linear algebra FID needs, in Float64: feature matrices, mean, unbiased
 * covariance, a symmetric eigendecomposition (cyclic Jacobi) and the square root of a symmetric
 * positive semidefinite matrix. Sizes are small (D up to a few hundred), so plain loops suffice.
 */

/** A dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * Feature vectors, one per row: either nested arrays or a flat row-major array with its shape.
 */
export type FeatureInput = readonly (readonly number[])[] | { data: ArrayLike<number>; rows: number; cols: number };

export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0)
    throw new Error(`matrix shape must be non-negative integers, got ${rows}×${cols}`);
  if (data && data.length !== rows * cols)
    throw new Error(`matrix ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  return { rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) };
}

export function identity(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A feature input as a Float64 matrix; rejects ragged rows and non-finite values. */
export function toMatrix(x: FeatureInput, what = 'features'): Matrix {
  let m: Matrix;
  if (Array.isArray(x)) {
    const rows = x as readonly (readonly number[])[];
    const cols = rows[0]?.length ?? 0;
    m = matrix(rows.length, cols);
    rows.forEach((r, i) => {
      if (r.length !== cols) throw new Error(`${what}: row ${i} has ${r.length} values, row 0 has ${cols}`);
      m.data.set(r, i * cols);
    });
  } else {
    const f = x as { data: ArrayLike<number>; rows: number; cols: number };
    m = matrix(f.rows, f.cols, f.data);
  }
  for (let i = 0; i < m.data.length; i++)
    if (!Number.isFinite(m.data[i]!)) throw new Error(`${what}: value ${m.data[i]} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}`);
  return m;
}

/** Column means of an N×D matrix. */
export function mean(x: Matrix): Float64Array {
  if (x.rows < 1) throw new Error('mean of an empty matrix');
  const mu = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) {
    const o = i * x.cols;
    for (let j = 0; j < x.cols; j++) mu[j]! += x.data[o + j]!;
  }
  for (let j = 0; j < x.cols; j++) mu[j]! /= x.rows;
  return mu;
}

/** Unbiased covariance (1/(N−1)) of the rows of an N×D matrix: a D×D matrix. */
export function covariance(x: Matrix, mu: Float64Array = mean(x)): Matrix {
  const n = x.rows;
  const d = x.cols;
  if (n < 2) throw new Error(`covariance needs at least 2 samples, got ${n}`);
  const c = matrix(d, d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) row[j] = x.data[o + j]! - mu[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const co = a * d;
      for (let b = a; b < d; b++) c.data[co + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = c.data[a * d + b]! / (n - 1);
      c.data[a * d + b] = v;
      c.data[b * d + a] = v;
    }
  return c;
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new Error(`matmul: ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const c = matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      const bo = k * b.cols;
      const co = i * b.cols;
      for (let j = 0; j < b.cols; j++) c.data[co + j]! += aik * b.data[bo + j]!;
    }
  return c;
}

export function trace(a: Matrix): number {
  if (a.rows !== a.cols) throw new Error(`trace of a non-square ${a.rows}×${a.cols} matrix`);
  let t = 0;
  for (let i = 0; i < a.rows; i++) t += a.data[i * a.cols + i]!;
  return t;
}

/** (A + Aᵀ)/2: removes the rounding asymmetry of products such as √Σ₁·Σ₂·√Σ₁. */
export function symmetrize(a: Matrix): Matrix {
  const n = a.rows;
  if (n !== a.cols) throw new Error(`symmetrize: non-square ${a.rows}×${a.cols}`);
  const s = matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) s.data[i * n + j] = 0.5 * (a.data[i * n + j]! + a.data[j * n + i]!);
  return s;
}

export interface SymEig {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as columns, in the order of `values`: A = V·diag(values)·Vᵀ. */
  vectors: Matrix;
}

/**
 * Eigendecomposition of a symmetric matrix by the cyclic Jacobi method (Rutishauser's variant, as
 * in Numerical Recipes' `jacobi`): accurate to a few ulps of ‖A‖ and unconditionally convergent.
 * Only the upper triangle is read. Throws on non-square input or if it fails to converge in
 * `maxSweeps` sweeps (typically 6–10 are needed).
 */
export function symEig(a: Matrix, maxSweeps = 100): SymEig {
  const n = a.rows;
  if (n !== a.cols) throw new Error(`symEig: non-square ${a.rows}×${a.cols} matrix`);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = a.data[i * n + j]!;
      if (!Number.isFinite(v)) throw new Error(`symEig: non-finite entry ${v} at (${i}, ${j})`);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  const V = identity(n).data;
  const d = new Float64Array(n);
  const b = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = b[i] = A[i * n + i]!;
  const rotate = (i: number, j: number, k: number, l: number, s: number, tau: number) => {
    const g = A[i * n + j]!;
    const h = A[k * n + l]!;
    A[i * n + j] = g - s * (h + g * tau);
    A[k * n + l] = h + s * (g - h * tau);
  };
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) off += Math.abs(A[p * n + q]!);
    if (off === 0) return sortedEig(d, V, n);
    const thresh = sweep < 3 ? (0.2 * off) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        const g = 100 * Math.abs(apq);
        if (sweep > 3 && Math.abs(d[p]!) + g === Math.abs(d[p]!) && Math.abs(d[q]!) + g === Math.abs(d[q]!)) {
          A[p * n + q] = 0;
          continue;
        }
        if (Math.abs(apq) <= thresh) continue;
        let h = d[q]! - d[p]!;
        let t: number;
        if (Math.abs(h) + g === Math.abs(h)) t = apq / h;
        else {
          const theta = (0.5 * h) / apq;
          t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
          if (theta < 0) t = -t;
        }
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        const tau = s / (1 + c);
        h = t * apq;
        z[p]! -= h;
        z[q]! += h;
        d[p]! -= h;
        d[q]! += h;
        A[p * n + q] = 0;
        for (let j = 0; j < p; j++) rotate(j, p, j, q, s, tau);
        for (let j = p + 1; j < q; j++) rotate(p, j, j, q, s, tau);
        for (let j = q + 1; j < n; j++) rotate(p, j, q, j, s, tau);
        for (let j = 0; j < n; j++) {
          const g2 = V[j * n + p]!;
          const h2 = V[j * n + q]!;
          V[j * n + p] = g2 - s * (h2 + g2 * tau);
          V[j * n + q] = h2 + s * (g2 - h2 * tau);
        }
      }
    for (let p = 0; p < n; p++) {
      b[p]! += z[p]!;
      d[p] = b[p]!;
      z[p] = 0;
    }
  }
  throw new Error(`symEig: Jacobi did not converge in ${maxSweeps} sweeps`);
}

function sortedEig(d: Float64Array, V: Float64Array, n: number): SymEig {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = new Float64Array(n);
  const vectors = matrix(n, n);
  order.forEach((src, dst) => {
    values[dst] = d[src]!;
    for (let r = 0; r < n; r++) vectors.data[r * n + dst] = V[r * n + src]!;
  });
  return { values, vectors };
}

/** V·diag(f(λ))·Vᵀ. */
export function fromEig({ values, vectors }: SymEig, f: (lambda: number) => number): Matrix {
  const n = values.length;
  const out = matrix(n, n);
  const fl = values.map(f);
  for (let k = 0; k < n; k++) {
    const w = fl[k]!;
    if (w === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors.data[i * n + k]! * w;
      if (vik === 0) continue;
      const o = i * n;
      for (let j = 0; j < n; j++) out.data[o + j]! += vik * vectors.data[j * n + k]!;
    }
  }
  return out;
}

/**
 * Relative tolerance for negative eigenvalues of a matrix that is PSD in exact arithmetic:
 * eigenvalues down to −PSD_RTOL·max|λ| are rounding and are clamped to 0; anything more negative
 * means the matrix is not PSD. Jacobi's eigenvalues are accurate to ~n·ε·‖A‖ ≈ 1e-13·‖A‖ here.
 */
export const PSD_RTOL = 1e-9;

/** Eigenvalues of a symmetric PSD matrix with rounding negatives clamped to 0; throws if not PSD. */
export function clampPsd(values: Float64Array, absTol = 0): Float64Array {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  const tol = Math.max(absTol, PSD_RTOL * scale);
  return values.map((v) => {
    if (v >= 0) return v;
    if (v >= -tol) return 0;
    throw new Error(`matrix is not positive semidefinite: eigenvalue ${v.toExponential(3)} (tolerance ${tol.toExponential(1)})`);
  });
}

/** The symmetric PSD square root of a symmetric PSD matrix: S with S·S = A, via A = V·diag(λ)·Vᵀ. */
export function sqrtmPsd(a: Matrix): Matrix {
  const e = symEig(a);
  return fromEig({ values: clampPsd(e.values), vectors: e.vectors }, Math.sqrt);
}
