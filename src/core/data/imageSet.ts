/**
 * ImageSet: a data set held as uint8 pixels, [count, size, size, channels], and the batches drawn
 * from it at the networks' current resolution (average pooling, as ProGAN does).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

export interface ImageSet {
  name: string;
  count: number;
  /** Side of the square images (a power of two). */
  size: number;
  channels: number;
  /** count·size·size·channels bytes, image-major, NHWC. */
  pixels: Uint8Array;
}

export function imageAt(set: ImageSet, i: number): Uint8Array {
  const n = set.size * set.size * set.channels;
  return set.pixels.subarray(i * n, (i + 1) * n);
}

/**
 * A batch of `n` images picked by `rng`, scaled to [−1, 1] and average-pooled to `res`×`res`.
 */
export function sampleBatch(set: ImageSet, n: number, res: number, rng: Rng): tf.Tensor4D {
  if (res > set.size) throw new Error(`cannot draw ${res}×${res} batches from ${set.size}×${set.size} images`);
  const per = set.size * set.size * set.channels;
  const buf = new Uint8Array(n * per);
  for (let k = 0; k < n; k++) buf.set(imageAt(set, rng.int(set.count)), k * per);
  return tf.tidy(() => {
    let x = tf.tensor4d(buf, [n, set.size, set.size, set.channels], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor4D;
    const factor = set.size / res;
    if (factor > 1) x = tf.avgPool(x, factor, factor, 'valid');
    return x;
  });
}
