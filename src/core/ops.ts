/**
 * ProGAN building blocks as plain tfjs ops (ALGORITHM.md §2). Weights are stored N(0, 1) and scaled
 * at run time by gain/√fan_in (equalized learning rate). WGAN-GP differentiates D's input gradient
 * once more; gradients.ts supplies the second-order gradients tfjs lacks.
 */
import * as tf from '@tensorflow/tfjs';
import './gradients';

export const LRELU_SLOPE = 0.2;

/**
 * Leaky ReLU as x·step(x, 0.2), with gradient dy·step(x, 0.2): two vectorised kernels each way.
 * (tfjs's LeakyRelu kernel runs ~3.5× slower on wasm, and its gradient needs Greater + Select +
 * Multiply.) The gradient is itself differentiable, as WGAN-GP needs.
 */
const leakyRelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const mask = tf.step(x, LRELU_SLOPE);
  save([mask]);
  return { value: tf.mul(x, mask), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
});

export function lrelu<T extends tf.Tensor>(x: T): T {
  return leakyRelu(x) as T;
}

/** a / √(mean_c(a²) + 1e-8), over the channel axis. */
export function pixelNorm<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-8)));
}

/** Equalized-learning-rate conv, 'same' padding, stride 1. */
export function conv(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, gain: number): tf.Tensor4D {
  const [k, , cin] = w.shape;
  const scale = gain / Math.sqrt(k * k * cin);
  return tf.add(tf.conv2d(x, tf.mul(w, scale) as tf.Tensor4D, 1, 'same'), b);
}

/** Equalized-learning-rate dense layer. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, gain: number): tf.Tensor2D {
  const scale = gain / Math.sqrt(w.shape[0]);
  return tf.add(tf.matMul(x, tf.mul(w, scale) as tf.Tensor2D), b);
}

/** Nearest-neighbour ×2 upsampling. */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [2 * h, 2 * w]);
}

/** 2×2 average pooling (twice differentiable: gradients.ts gives AvgPoolGrad a gradient). */
export function avgpool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 2, 2, 'valid');
}

/** x + α·(y − x): at α = 0 this is x exactly. */
export function lerp<T extends tf.Tensor>(x: T, y: T, alpha: number): T {
  if (alpha === 0) return x;
  if (alpha === 1) return y;
  return tf.add(x, tf.mul(tf.sub(y, x), alpha));
}

/**
 * Minibatch standard deviation (ProGAN): groups of up to 4 samples; the biased std per
 * (h, w, c) over the group, averaged to one scalar per group, appended as one channel.
 */
export function minibatchStddev(x: tf.Tensor4D, groupSize = 4): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  let g = Math.min(groupSize, n);
  while (n % g !== 0) g--;
  const m = n / g;
  const y = tf.reshape(x, [g, m, h, w, c]);
  const centred = tf.sub(y, tf.mean(y, 0, true));
  const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8));
  const perGroup = tf.mean(std, [1, 2, 3]);
  // Broadcast (not tile: tfjs has no rank-5 tile gradient) back to every sample and pixel.
  const channel = tf.add(tf.zeros([g, m, h, w, 1]), tf.reshape(perGroup, [1, m, 1, 1, 1])).reshape([n, h, w, 1]);
  return tf.concat([x, channel as tf.Tensor4D], -1);
}
