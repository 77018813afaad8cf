/**
 * `growlab metrics --real A --fake B`: SWD, FID and KID between two image sets, each a folder of
 * PNG/JPEG/GIF files or a .npy file of uint8 [N, H, W, C]. Prints one JSON object (--json) or a
 * readable summary; --save-features writes both feature arrays as .npy for checking elsewhere.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { sniffFormat, decodeBuiltin, BUILTIN_FORMATS } from '../core/data/decode';
import { compositeOnWhite } from '../core/data/pixels';
import type { MetricName } from '../core/evaluate';
import { classCoverage } from '../core/metrics/featureNet';
import { FEATURE_NET_LABELS, loadFeatureNet } from '../core/metrics/featureNets';
import { fid } from '../core/metrics/fid';
import { kid } from '../core/metrics/kid';
import { SWD_MIN_RES, swd, type ImageBatch } from '../core/metrics/swd';
import { Rng } from '../core/rng';
import { useNodeBackend, type NodeBackend } from './nodeBackend';
import { encodeNpy, parseNpy } from './npy';
import { UsageError } from './train';

export interface MetricsOptions {
  real: string;
  fake: string;
  metrics: MetricName[];
  features?: string;
  json?: boolean;
  saveFeatures?: string;
  seed: number;
  backend: NodeBackend;
}

/** A folder of images (all the same square size) or a .npy of uint8 [N, H, W, C]. */
export async function readImages(path: string): Promise<ImageBatch> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new UsageError(`${path} does not exist`);
  if (info.isFile()) {
    if (extname(path).toLowerCase() !== '.npy') throw new UsageError(`${path}: give a folder of images or a .npy file`);
    const a = parseNpy(new Uint8Array(await readFile(path)), path);
    const [count, h, w, c] = a.shape;
    if (a.dtype !== 'uint8' || a.shape.length !== 4 || h !== w || (c !== 1 && c !== 3))
      throw new UsageError(`${path}: expected uint8 [N, H, W, C] with H = W and C = 1 or 3, got ${a.dtype} [${a.shape.join(', ')}]`);
    return { pixels: a.data as Uint8Array, count: count!, size: h!, channels: c! };
  }
  const names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  const images: Uint8Array[] = [];
  let size = 0;
  for (const name of names) {
    const bytes = new Uint8Array(await readFile(join(path, name)));
    const format = sniffFormat(bytes);
    if (!(BUILTIN_FORMATS as readonly string[]).includes(format)) continue;
    const rgba = decodeBuiltin(bytes, format as (typeof BUILTIN_FORMATS)[number]);
    if (rgba.width !== rgba.height) throw new UsageError(`${join(path, name)} is ${rgba.width}×${rgba.height}: images must be square`);
    if (size && rgba.width !== size) throw new UsageError(`${join(path, name)} is ${rgba.width} px, the others ${size} px: use one size`);
    size = rgba.width;
    images.push(compositeOnWhite(rgba));
  }
  if (images.length === 0) throw new UsageError(`${path} holds no PNG, JPEG or GIF images`);
  const pixels = new Uint8Array(images.length * size * size * 3);
  images.forEach((img, i) => pixels.set(img, i * size * size * 3));
  return { pixels, count: images.length, size, channels: 3 };
}

/** RGB → gray (ITU-R BT.601) when a 1-channel network reads 3-channel files. */
function toChannels(b: ImageBatch, channels: number): ImageBatch {
  if (b.channels === channels) return b;
  const n = b.count * b.size * b.size;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === 1) out[i] = Math.round(0.299 * b.pixels[3 * i]! + 0.587 * b.pixels[3 * i + 1]! + 0.114 * b.pixels[3 * i + 2]!);
    else out.fill(b.pixels[i]!, 3 * i, 3 * i + 3);
  }
  return { ...b, pixels: out, channels };
}

export async function metrics(o: MetricsOptions): Promise<Record<string, unknown>> {
  if (o.metrics.length === 0) throw new UsageError('--metrics needs at least one of swd, fid, kid');
  const wantsFeatures = o.metrics.includes('fid') || o.metrics.includes('kid');
  if (wantsFeatures && !o.features)
    throw new UsageError(`FID and KID need --features: one of ${Object.keys(FEATURE_NET_LABELS).join(', ')} (the network trained on that data set's labels)`);
  if (o.features && !(o.features in FEATURE_NET_LABELS))
    throw new UsageError(`--features ${o.features}: no such feature network (have ${Object.keys(FEATURE_NET_LABELS).join(', ')})`);
  const [real, fake] = await Promise.all([readImages(o.real), readImages(o.fake)]);
  if (real.size !== fake.size) throw new UsageError(`real images are ${real.size} px, fake ${fake.size} px: compare sets of one size`);
  await useNodeBackend(o.backend);
  const out: Record<string, unknown> = { real: { path: o.real, n: real.count, size: real.size }, fake: { path: o.fake, n: fake.count, size: fake.size } };
  if (o.metrics.includes('swd')) {
    if (real.size < SWD_MIN_RES) throw new UsageError(`SWD is defined from ${SWD_MIN_RES} px; these images are ${real.size} px`);
    const n = Math.min(real.count, fake.count);
    const cut = (b: ImageBatch) => ({ ...b, count: n, pixels: b.pixels.subarray(0, n * b.size * b.size * b.channels) });
    out.swd = { ...(await swd(cut(real), cut(fake), new Rng(o.seed))), label: `SWD ×1e3 (ProGAN, N = ${n})` };
  }
  if (wantsFeatures) {
    const net = await loadFeatureNet(o.features!);
    try {
      const c = net.spec.channels;
      const [r, f] = [toChannels(real, c), toChannels(fake, c)];
      const er = await net.embed(r.pixels, r.count, r.size, c);
      const ef = await net.embed(f.pixels, f.count, f.size, c);
      const dim = er.features.length / r.count;
      const fr = { data: er.features, rows: r.count, cols: dim };
      const ff = { data: ef.features, rows: f.count, cols: dim };
      const on = `${net.spec.label}, N = ${r.count}/${f.count}`;
      if (o.metrics.includes('fid')) out.fid = { ...fid(fr, ff), label: `FID (${on})` };
      if (o.metrics.includes('kid')) out.kid = { ...kid(fr, ff, new Rng(o.seed + 1)), label: `KID (${on})` };
      out.coverage = { ...classCoverage(ef.probs, net.spec.classes.length), classNames: net.spec.classes, label: `class coverage of fake (${on})` };
      out.featureNetwork = { dataset: net.spec.dataset, label: net.spec.label, dim };
      if (o.saveFeatures) {
        await mkdir(o.saveFeatures, { recursive: true });
        await writeFile(join(o.saveFeatures, 'real_features.npy'), encodeNpy(er.features, [r.count, dim]));
        await writeFile(join(o.saveFeatures, 'fake_features.npy'), encodeNpy(ef.features, [f.count, dim]));
        out.savedFeatures = [join(o.saveFeatures, 'real_features.npy'), join(o.saveFeatures, 'fake_features.npy')];
      }
    } finally {
      net.dispose();
    }
  }
  return out;
}
