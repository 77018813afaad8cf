/** Walks through latent space, for the lab's interpolation strip. */

/**
 * `steps` latents from `a` to `b` along the great circle between them (spherical interpolation,
 * the usual walk for Gaussian latents: it keeps their norm where linear mixing would shrink it).
 */
export function slerpLatents(a: Float32Array, b: Float32Array, steps: number): Float32Array {
  const dim = a.length;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < dim; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const out = new Float32Array(steps * dim);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    const [wa, wb] = omega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
    for (let i = 0; i < dim; i++) out[s * dim + i] = wa * a[i]! + wb * b[i]!;
  }
  return out;
}
