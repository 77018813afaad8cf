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
  /** One class index per image (into `classes`), for labelled sets. */
  labels?: Uint8Array;
  /** Class names, for labelled sets. */
  classes?: string[];
}

export interface BatchOptions {
  /** Flip each drawn image left–right with probability ½ (one extra draw from the same rng per image). */
  mirror?: boolean;
}

export function imageAt(set: ImageSet, i: number): Uint8Array {
  const n = set.size * set.size * set.channels;
  return set.pixels.subarray(i * n, (i + 1) * n);
}

/** Copies one image into `out` at `at`, mirrored left–right. */
function copyMirrored(src: Uint8Array, out: Uint8Array, at: number, size: number, channels: number): void {
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const s = (y * size + (size - 1 - x)) * channels;
      const d = at + (y * size + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = src[s + c]!;
    }
}

/**
 * A batch of `n` images picked by `rng`, scaled to [−1, 1] and average-pooled to `res`×`res`;
 * with `mirror`, each is flipped left–right with probability ½. Without `mirror` the rng is drawn
 * exactly as before (one draw per image), so old seeds repeat.
 */
export function sampleBatch(set: ImageSet, n: number, res: number, rng: Rng, options: BatchOptions = {}): tf.Tensor4D {
  if (res > set.size) throw new Error(`cannot draw ${res}×${res} batches from ${set.size}×${set.size} images`);
  const per = set.size * set.size * set.channels;
  const buf = new Uint8Array(n * per);
  for (let k = 0; k < n; k++) {
    const img = imageAt(set, rng.int(set.count));
    if (options.mirror && rng.next() < 0.5) copyMirrored(img, buf, k * per, set.size, set.channels);
    else buf.set(img, k * per);
  }
  return tf.tidy(() => {
    let x = tf.tensor4d(buf, [n, set.size, set.size, set.channels], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor4D;
    const factor = set.size / res;
    if (factor > 1) x = tf.avgPool(x, factor, factor, 'valid');
    return x;
  });
}

/** The first `count` images (and labels) of a set, sharing its memory. */
export function takeImages(set: ImageSet, count: number): ImageSet {
  if (!Number.isInteger(count) || count < 1) throw new Error(`takeImages: count must be a positive integer, got ${count}`);
  if (count >= set.count) return set;
  const per = set.size * set.size * set.channels;
  return { ...set, count, pixels: set.pixels.subarray(0, count * per), ...(set.labels ? { labels: set.labels.subarray(0, count) } : {}) };
}

/**
 * The set at a smaller power-of-two size, by averaging each factor×factor block of pixels (rounded
 * to the nearest byte) — the same pooling sampleBatch does, done once.
 */
export function downsampleImageSet(set: ImageSet, size: number): ImageSet {
  if (size === set.size) return set;
  const factor = set.size / size;
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(factor) || (factor & (factor - 1)) !== 0)
    throw new Error(`cannot downsample ${set.size}×${set.size} images to ${size}×${size}: the size must be ${set.size} divided by a power of two`);
  const { channels: ch, size: s } = set;
  const out = new Uint8Array(set.count * size * size * ch);
  const area = factor * factor;
  for (let i = 0; i < set.count; i++) {
    const src = i * s * s * ch;
    const dst = i * size * size * ch;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < ch; c++) {
          let sum = 0;
          for (let dy = 0; dy < factor; dy++) {
            const row = src + ((y * factor + dy) * s + x * factor) * ch + c;
            for (let dx = 0; dx < factor; dx++) sum += set.pixels[row + dx * ch]!;
          }
          out[dst + (y * size + x) * ch + c] = Math.round(sum / area);
        }
  }
  return { ...set, size, pixels: out };
}
