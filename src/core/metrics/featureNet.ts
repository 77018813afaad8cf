/**
 * FeatureNet: a small classifier trained on a labelled data set's own labels, whose penultimate
 * layer gives the features for lab-scale FID and KID ("FID (MNIST-LeNet, N = 2000)"), and whose
 * predictions give class coverage. Inception-v3 is far too large for the browser and a 2-core CI;
 * numbers from different feature networks or sample counts are never comparable.
 *
 * Architecture (input 32×32×C in [−1, 1]): 3 × [conv3×3 → ReLU → avgpool2] (16, 32, 64 channels),
 * global average pooling → dense 64 → ReLU (the features) → dense classes (logits).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Rng } from '../rng';

export const FEATURE_DIM = 64;
export const FEATURE_INPUT = 32;
const WIDTHS = [16, 32, 64];

export interface FeatureNetSpec {
  /** Data set it was trained on: 'mnist', 'fashion-mnist', 'emoji', 'shapes'. */
  dataset: string;
  /** Human-readable name used in every metric label, e.g. "MNIST-LeNet". */
  label: string;
  channels: number;
  classes: string[];
}

const weightSchema = z.object({ shape: z.array(z.number().int().positive()), base64: z.string() });
export const featureNetFileSchema = z.object({
  format: z.literal('growlab-featurenet'),
  version: z.literal(1),
  spec: z.object({ dataset: z.string(), label: z.string(), channels: z.number().int().min(1).max(3), classes: z.array(z.string()).min(2) }),
  testAccuracy: z.number().min(0).max(1),
  trainedOn: z.object({ train: z.number().int(), test: z.number().int(), epochs: z.number().int() }),
  weights: z.record(z.string(), weightSchema),
});
export type FeatureNetFile = z.infer<typeof featureNetFileSchema>;

function layerShapes(spec: FeatureNetSpec): [string, number[]][] {
  const shapes: [string, number[]][] = [];
  let c = spec.channels;
  WIDTHS.forEach((w, i) => {
    shapes.push([`conv${i}/w`, [3, 3, c, w]], [`conv${i}/b`, [w]]);
    c = w;
  });
  shapes.push(['feat/w', [c, FEATURE_DIM]], ['feat/b', [FEATURE_DIM]]);
  shapes.push(['logits/w', [FEATURE_DIM, spec.classes.length]], ['logits/b', [spec.classes.length]]);
  return shapes;
}

function toBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Float32Array {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

export class FeatureNet {
  readonly weights = new Map<string, tf.Variable>();

  constructor(
    readonly spec: FeatureNetSpec,
    init: Rng | Map<string, Float32Array>,
  ) {
    for (const [name, shape] of layerShapes(spec)) {
      const size = shape.reduce((a, b) => a * b, 1);
      let values: Float32Array;
      if (init instanceof Map) {
        const v = init.get(name);
        if (!v || v.length !== size) throw new Error(`feature network ${spec.label}: weight ${name} is missing or has the wrong size`);
        values = v;
      } else if (name.endsWith('/b')) {
        values = new Float32Array(size);
      } else {
        const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        values = init.normals(size).map((x) => x * Math.sqrt(2 / fanIn));
      }
      const t = tf.tensor(values, shape);
      this.weights.set(name, tf.variable(t, true));
      t.dispose();
    }
  }

  static fromFile(file: unknown): FeatureNet {
    const parsed = featureNetFileSchema.safeParse(file);
    if (!parsed.success) throw new Error(`not a GrowLab feature network file: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const weights = new Map(Object.entries(parsed.data.weights).map(([k, w]) => [k, fromBase64(w.base64)]));
    return new FeatureNet(parsed.data.spec, weights);
  }

  toFile(testAccuracy: number, trainedOn: FeatureNetFile['trainedOn']): FeatureNetFile {
    const weights: FeatureNetFile['weights'] = {};
    for (const [name, v] of this.weights) weights[name] = { shape: v.shape, base64: toBase64(v.dataSync() as Float32Array) };
    return { format: 'growlab-featurenet', version: 1, spec: this.spec, testAccuracy, trainedOn, weights };
  }

  /** Images as uint8 NHWC of any power-of-two size → [N, 32, 32, C] in [−1, 1]. */
  prepare(pixels: Uint8Array, count: number, size: number, channels: number): tf.Tensor4D {
    if (channels !== this.spec.channels)
      throw new Error(`${this.spec.label} reads ${this.spec.channels}-channel images, got ${channels} channels`);
    return tf.tidy(() => {
      let x = tf.tensor4d(pixels, [count, size, size, channels], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor4D;
      if (size > FEATURE_INPUT) x = tf.avgPool(x, size / FEATURE_INPUT, size / FEATURE_INPUT, 'valid');
      if (size < FEATURE_INPUT) x = tf.image.resizeNearestNeighbor(x, [FEATURE_INPUT, FEATURE_INPUT]);
      return x;
    });
  }

  /** [features (N×64, after ReLU), logits]. */
  forward(x: tf.Tensor4D): [tf.Tensor2D, tf.Tensor2D] {
    return tf.tidy(() => {
      const W = (n: string) => this.weights.get(n)!;
      let h: tf.Tensor4D = x;
      WIDTHS.forEach((_, i) => {
        h = tf.relu(tf.add(tf.conv2d(h, W(`conv${i}/w`) as tf.Tensor4D, 1, 'same'), W(`conv${i}/b`))) as tf.Tensor4D;
        h = tf.avgPool(h, 2, 2, 'valid');
      });
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const feats = tf.relu(tf.add(tf.matMul(pooled, W('feat/w') as tf.Tensor2D), W('feat/b'))) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(feats, W('logits/w') as tf.Tensor2D), W('logits/b')) as tf.Tensor2D;
      return [feats, logits];
    });
  }

  /** Features and class probabilities of uint8 images, in batches. */
  async embed(pixels: Uint8Array, count: number, size: number, channels: number, batch = 256): Promise<{ features: Float32Array; probs: Float32Array }> {
    const per = size * size * channels;
    const features = new Float32Array(count * FEATURE_DIM);
    const k = this.spec.classes.length;
    const probs = new Float32Array(count * k);
    for (let i = 0; i < count; i += batch) {
      const n = Math.min(batch, count - i);
      const x = this.prepare(pixels.subarray(i * per, (i + n) * per), n, size, channels);
      const [f, logits] = this.forward(x);
      const p = tf.softmax(logits);
      features.set(await f.data(), i * FEATURE_DIM);
      probs.set(await p.data(), i * k);
      tf.dispose([x, f, logits, p]);
    }
    return { features, probs };
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
  }
}

export interface ClassCoverage {
  /** Classes predicted for at least 1 % of the samples (and at least once). */
  classesFound: number;
  classes: number;
  /** Mean of each sample's top class probability. */
  meanConfidence: number;
  /** Share of samples per class, in the order of `spec.classes`. */
  histogram: number[];
}

export function classCoverage(probs: Float32Array, classes: number): ClassCoverage {
  const n = probs.length / classes;
  const counts = new Array<number>(classes).fill(0);
  let conf = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    counts[best]!++;
    conf += probs[i * classes + best]!;
  }
  const histogram = counts.map((c) => c / n);
  return { classesFound: histogram.filter((h, i) => h >= 0.01 && counts[i]! > 0).length, classes, meanConfidence: conf / n, histogram };
}
