/**
 * The reference training step of shared/design/PLATFORM.md, in plain tfjs (mirrored exactly by
 * bench/torch_reference.py): a 32×32 DCGAN, batch 64, non-saturating loss, Adam(2e-4, β1 0.5),
 * one D update then one G update.
 *
 * G = z(128) → dense 4·4·128 → [nearest ×2, conv3×3, lrelu] to 8×8×64, 16×16×32, 32×32×1 (tanh)
 * D = 3 × [conv3×3, lrelu, avgpool2] (32, 64, 128) → dense 1
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';

export const REF = { batch: 64, latent: 128, size: 32 };

const G_CONVS: [number, number, number][] = [
  [8, 128, 64],
  [16, 64, 32],
  [32, 32, 1],
];
const D_CONVS: [number, number, number][] = [
  [32, 1, 32],
  [16, 32, 64],
  [8, 64, 128],
];

/** Forward FLOPs per image (2 per multiply–add) of G and D. */
export function referenceFlops(): { G: number; D: number } {
  const conv = ([res, cin, cout]: [number, number, number]) => 2 * 9 * cin * cout * res * res;
  return {
    G: 2 * REF.latent * 16 * 128 + G_CONVS.reduce((a, c) => a + conv(c), 0),
    D: D_CONVS.reduce((a, c) => a + conv(c), 0) + 2 * 16 * 128,
  };
}

/**
 * FLOPs of one training step, counting backward as twice forward: the D update runs G forward
 * once and D forward+backward on real and fake; the G update runs G and D forward+backward.
 */
export function stepFlops(f: { G: number; D: number }, batch: number): number {
  return batch * (f.G + 2 * 3 * f.D + 3 * f.G + 3 * f.D);
}

export interface ReferenceModel {
  step(): Promise<void>;
  dispose(): void;
}

export function referenceModel(seed = 1): ReferenceModel {
  const rng = new Rng(seed);
  const v = (shape: number[], std: number) => tf.variable(tf.tensor(rng.normals(shape.reduce((a, b) => a * b)), shape).mul(std));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const g = {
    dense: v([REF.latent, 16 * 128], 0.02),
    denseB: zeros(16 * 128),
    convs: G_CONVS.map(([, cin, cout]) => ({ w: v([3, 3, cin, cout], 0.02), b: zeros(cout) })),
  };
  const d = {
    convs: D_CONVS.map(([, cin, cout]) => ({ w: v([3, 3, cin, cout], 0.02), b: zeros(cout) })),
    dense: v([16 * 128, 1], 0.02),
    denseB: zeros(1),
  };
  const gVars = [g.dense, g.denseB, ...g.convs.flatMap((c) => [c.w, c.b])];
  const dVars = [...d.convs.flatMap((c) => [c.w, c.b]), d.dense, d.denseB];
  const G = (z: tf.Tensor2D) => {
    let x = tf.leakyRelu(tf.matMul(z, g.dense).add(g.denseB), 0.2).reshape([-1, 4, 4, 128]) as tf.Tensor4D;
    g.convs.forEach((c, i) => {
      x = tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
      const y = tf.conv2d(x, c.w as tf.Tensor4D, 1, 'same').add(c.b) as tf.Tensor4D;
      x = i === g.convs.length - 1 ? tf.tanh(y) : tf.leakyRelu(y, 0.2);
    });
    return x;
  };
  const D = (img: tf.Tensor4D) => {
    let x = img;
    for (const c of d.convs) x = tf.avgPool(tf.leakyRelu(tf.conv2d(x, c.w as tf.Tensor4D, 1, 'same').add(c.b), 0.2) as tf.Tensor4D, 2, 2, 'valid');
    return tf.matMul(x.reshape([x.shape[0], -1]), d.dense).add(d.denseB);
  };
  const optD = tf.train.adam(2e-4, 0.5);
  const optG = tf.train.adam(2e-4, 0.5);
  const real = tf.tensor4d(rng.uniforms(REF.batch * 32 * 32).map((x) => 2 * x - 1), [REF.batch, 32, 32, 1]);
  const latents = () => tf.tensor2d(rng.normals(REF.batch * REF.latent), [REF.batch, REF.latent]);
  return {
    async step() {
      const z1 = latents();
      const fake = tf.tidy(() => G(z1));
      const dl = optD.minimize(() => tf.add(tf.mean(tf.softplus(D(fake))), tf.mean(tf.softplus(tf.neg(D(real))))), true, dVars)!;
      const z2 = latents();
      const gl = optG.minimize(() => tf.mean(tf.softplus(tf.neg(D(G(z2))))), true, gVars)!;
      await Promise.all([dl.data(), gl.data()]);
      tf.dispose([z1, z2, fake, dl, gl]);
    },
    dispose() {
      tf.dispose([...gVars, ...dVars, real]);
      optD.dispose();
      optG.dispose();
    },
  };
}
