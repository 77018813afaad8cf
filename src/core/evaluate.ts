/**
 * Evaluation of the current generator against the data: SWD (≥ 16 px), FID and KID on the data
 * set's feature network, and class coverage. Fakes come from the EMA generator with fixed latents;
 * reals are a fixed random subset pooled to the same resolution. Both sets go through uint8, as
 * images on disk would. Every value carries what it was computed with (network, N, resolution).
 */
import * as tf from '@tensorflow/tfjs';
import { sampleBatch, type ImageSet } from './data/imageSet';
import { concatArrays } from './grid';
import { classCoverage, type ClassCoverage, type FeatureNet } from './metrics/featureNet';
import { fid } from './metrics/fid';
import { kid } from './metrics/kid';
import { SWD_MIN_RES, swd, type SwdResult } from './metrics/swd';
import { Rng } from './rng';
import type { Trainer } from './trainer';

export type MetricName = 'swd' | 'fid' | 'kid';
export const METRIC_NAMES: readonly MetricName[] = ['swd', 'fid', 'kid'];

export interface StageMetrics {
  imagesSeen: number;
  resolution: number;
  /** Images per set. */
  n: number;
  swd?: SwdResult;
  fid?: { value: number; label: string; warning?: string };
  kid?: { mean: number; std: number; label: string };
  coverage?: ClassCoverage & { label: string };
  seconds: number;
}

export interface EvalOptions {
  metrics: readonly MetricName[];
  /** Images per set (real and fake). */
  n: number;
  seed: number;
  /**
   * Compare at this resolution instead of the model's: fakes are upsampled (nearest) to it, so
   * models of different resolutions are measured against the same real images (the search does).
   */
  resolution?: number;
  now?: () => number;
}

/** [−1, 1] floats → uint8, as a PNG of the image would hold. */
export async function toUint8(images: tf.Tensor4D): Promise<Uint8Array> {
  const bytes = tf.tidy(() => images.add(1).mul(127.5).round().clipByValue(0, 255).toInt());
  const data = Uint8Array.from(await bytes.data());
  bytes.dispose();
  return data;
}

async function generateUint8(trainer: Trainer, n: number, seed: number, res: number): Promise<Uint8Array> {
  const rng = new Rng(seed);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < n; i += 64) {
    const z = trainer.latents(Math.min(64, n - i), rng);
    const x = tf.tidy(() => {
      const img = trainer.sample(z);
      return img.shape[1] === res ? img : tf.image.resizeNearestNeighbor(img, [res, res]);
    });
    parts.push(await toUint8(x));
    tf.dispose([z, x]);
  }
  return concatArrays(parts, (n) => new Uint8Array(n));
}

export async function evaluate(trainer: Trainer, data: ImageSet, net: FeatureNet | null, o: EvalOptions): Promise<StageMetrics> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const res = o.resolution ?? trainer.resolution;
  const channels = data.channels;
  const realBatch = sampleBatch(data, o.n, res, new Rng(o.seed));
  const real = { pixels: await toUint8(realBatch), count: o.n, size: res, channels };
  realBatch.dispose();
  const fake = { pixels: await generateUint8(trainer, o.n, o.seed + 1, res), count: o.n, size: res, channels };
  const out: StageMetrics = { imagesSeen: trainer.imagesSeen, resolution: res, n: o.n, seconds: 0 };

  if (o.metrics.includes('swd') && res >= SWD_MIN_RES) out.swd = await swd(real, fake, new Rng(o.seed + 2));
  if (net && (o.metrics.includes('fid') || o.metrics.includes('kid'))) {
    const where = `${net.spec.label}, N = ${o.n}, ${res}×${res}`;
    const r = await net.embed(real.pixels, o.n, res, channels);
    const f = await net.embed(fake.pixels, o.n, res, channels);
    const dim = r.features.length / o.n;
    const features = (x: Float32Array) => ({ data: x, rows: o.n, cols: dim });
    if (o.metrics.includes('fid')) {
      const r2 = fid(features(r.features), features(f.features));
      out.fid = { value: r2.fid, label: `FID (${where})` };
      if (r2.warning) out.fid.warning = r2.warning;
    }
    if (o.metrics.includes('kid')) {
      const k = kid(features(r.features), features(f.features), new Rng(o.seed + 3), { subsets: 50, subsetSize: Math.min(500, o.n) });
      out.kid = { mean: k.mean, std: k.std, label: `KID (${where})` };
    }
    out.coverage = { ...classCoverage(f.probs, net.spec.classes.length), label: `class coverage (${where})` };
  }
  out.seconds = (now() - t0) / 1000;
  return out;
}
