/**
 * The conversions behind `npm run data`, as plain functions (no file system), so tests can run them
 * on tiny synthetic inputs: MNIST-style JSON records → padded uint8 images, emoji PNGs → RGB on
 * white, and a seeded shuffle so any prefix of a built set is a mix of its classes.
 */
import { decodePng } from '../src/core/data/decode';
import { centreCropResize, compositeOnWhite, padImage } from '../src/core/data/pixels';
import { Rng } from '../src/core/rng';

export interface Converted {
  count: number;
  size: number;
  channels: 1 | 3;
  /** count·size·size·channels bytes, NHWC, image-major. */
  pixels: Uint8Array;
  labels: Uint8Array;
  classCounts: number[];
  /** What was skipped or changed on the way, one line each. */
  notes: string[];
}

/** How the source stores a pixel: floats in [0, 1] (mnist) or integers in [0, 255] (fashion-mnist). */
export type PixelScale = 'unit' | 'byte';

const SIDE = 28;
const PER = SIDE * SIDE;

/**
 * The 28×28 records of one class file: `{data: [...]}` holding either one flat array of
 * count·784 values or an array of 784-value rows. Empty rows are skipped (and counted); anything
 * else malformed throws, naming the file and record.
 */
export function recordsOf(json: unknown, file: string, scale: PixelScale): { records: Uint8Array[]; skipped: number } {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error(`${file}: expected an object with a 'data' array`);
  const rows: unknown[][] = [];
  if (data.length > 0 && Array.isArray(data[0])) rows.push(...(data as unknown[][]));
  else {
    if (data.length % PER !== 0) throw new Error(`${file}: ${data.length} values is not a whole number of ${SIDE}×${SIDE} images`);
    for (let i = 0; i < data.length; i += PER) rows.push(data.slice(i, i + PER));
  }
  const records: Uint8Array[] = [];
  let skipped = 0;
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) throw new Error(`${file}: record ${r} is not an array`);
    if (row.length === 0) {
      skipped++;
      return;
    }
    if (row.length !== PER) throw new Error(`${file}: record ${r} has ${row.length} values, expected ${PER}`);
    const img = new Uint8Array(PER);
    for (let i = 0; i < PER; i++) {
      const v = row[i];
      const ok = typeof v === 'number' && (scale === 'unit' ? v >= 0 && v <= 1 : Number.isInteger(v) && v >= 0 && v <= 255);
      if (!ok) throw new Error(`${file}: record ${r}, pixel ${i} is ${JSON.stringify(v)}, expected ${scale === 'unit' ? 'a number in [0, 1]' : 'an integer in [0, 255]'}`);
      img[i] = scale === 'unit' ? Math.round((v as number) * 255) : (v as number);
    }
    records.push(img);
  });
  return { records, skipped };
}

/** Class files (label k ↦ its JSON) → one set of 32×32 grey images, 28×28 centred on black. */
export function convertDigitFiles(
  files: { label: number; file: string; json: unknown }[],
  scale: PixelScale,
  classes: number,
  onFile?: (file: string, images: number) => void,
): Converted {
  const size = 32;
  const parts: { label: number; records: Uint8Array[] }[] = [];
  const notes: string[] = [];
  const classCounts = new Array<number>(classes).fill(0);
  for (const f of files) {
    if (!Number.isInteger(f.label) || f.label < 0 || f.label >= classes) throw new Error(`${f.file}: label ${f.label} outside 0–${classes - 1}`);
    const { records, skipped } = recordsOf(f.json, f.file, scale);
    if (skipped) notes.push(`${f.file}: ${skipped} empty record${skipped === 1 ? '' : 's'} skipped`);
    classCounts[f.label]! += records.length;
    parts.push({ label: f.label, records });
    onFile?.(f.file, records.length);
  }
  const count = classCounts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  let i = 0;
  for (const { label, records } of parts)
    for (const r of records) {
      pixels.set(padImage(r, SIDE, 1, size, 0), i * size * size);
      labels[i++] = label;
    }
  return { count, size, channels: 1, pixels, labels, classCounts, notes };
}

/** The parts of an emoji.json entry the build reads. */
export interface EmojiEntry {
  image: string;
  category: string;
  sort_order?: number;
  skin_variations?: Record<string, { image: string }>;
}

/** Every image file of emoji.json with its category, in sort order (each base emoji, then its skin tones). */
export function emojiImages(entries: EmojiEntry[]): { image: string; category: string }[] {
  const sorted = [...entries].sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
  const out: { image: string; category: string }[] = [];
  const seen = new Set<string>();
  for (const e of sorted)
    for (const image of [e.image, ...Object.values(e.skin_variations ?? {}).map((v) => v.image)])
      if (!seen.has(image)) {
        seen.add(image);
        out.push({ image, category: e.category });
      }
  return out;
}

/**
 * Emoji PNGs → `size`×`size` RGB images composited on white, labelled by category (index into
 * `classes`). Entries whose file `readPng` cannot find are skipped and counted in the notes;
 * images of another size are area-resized (and noted).
 */
export function convertEmoji(
  images: { image: string; category: string }[],
  classes: string[],
  readPng: (file: string) => Uint8Array | null,
  size = 64,
  onProgress?: (done: number, total: number) => void,
): Converted {
  const per = size * size * 3;
  const pixels = new Uint8Array(images.length * per);
  const labels = new Uint8Array(images.length);
  const classCounts = new Array<number>(classes.length).fill(0);
  const missing: string[] = [];
  const resized: string[] = [];
  let count = 0;
  images.forEach(({ image, category }, k) => {
    const label = classes.indexOf(category);
    if (label < 0) throw new Error(`${image}: category '${category}' is not among the classes (${classes.join(', ')})`);
    const bytes = readPng(image);
    if (!bytes) {
      missing.push(image);
      return;
    }
    let rgba;
    try {
      rgba = decodePng(bytes);
    } catch (e) {
      throw new Error(`${image}: cannot decode the PNG (${(e as Error).message})`);
    }
    let rgb = compositeOnWhite(rgba);
    if (rgba.width !== size || rgba.height !== size) {
      resized.push(`${image} (${rgba.width}×${rgba.height})`);
      rgb = centreCropResize(rgb, rgba.width, rgba.height, 3, size);
    }
    pixels.set(rgb, count * per);
    labels[count++] = label;
    classCounts[label]!++;
    onProgress?.(k + 1, images.length);
  });
  const notes: string[] = [];
  if (missing.length) notes.push(`${missing.length} images listed in emoji.json but missing from the package were skipped (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`);
  if (resized.length) notes.push(`${resized.length} images not ${size}×${size} were centre-cropped and area-resized (${resized.slice(0, 5).join(', ')}${resized.length > 5 ? ', …' : ''})`);
  return { count, size, channels: 3, pixels: pixels.subarray(0, count * per), labels: labels.subarray(0, count), classCounts, notes };
}

/** The set in a seeded random order (Fisher–Yates with GrowLab's Rng), so every prefix mixes the classes. */
export function shuffleSet(set: Converted, seed: number): Converted {
  const rng = new Rng(seed);
  const order = Array.from({ length: set.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const per = set.size * set.size * set.channels;
  const pixels = new Uint8Array(set.pixels.length);
  const labels = new Uint8Array(set.count);
  order.forEach((src, dst) => {
    pixels.set(set.pixels.subarray(src * per, (src + 1) * per), dst * per);
    labels[dst] = set.labels[src]!;
  });
  return { ...set, pixels, labels };
}
