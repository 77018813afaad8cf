/**
 * The lab's data sets, inside the worker: the procedural shapes, the sets `npm run data` built
 * (served by the app under datasets/<name>/: manifest.json, pixels.bin, labels.bin, checked against
 * the manifest's SHA-256 digests), and the user's upload (decoded here, never on the page).
 */
import type { ImageSet } from '../core/data/imageSet';
import { downsampleImageSet } from '../core/data/imageSet';
import { imageSetFromFiles, validateManifest } from '../core/data/manifest';
import type { RGBA } from '../core/data/pixels';
import { makeShapes } from '../core/data/shapes';
import { decodeUploads, type UploadFile } from '../core/data/upload';
import type { LabDataset, RunConfig, UploadSummary } from './protocol';

/** Uploads are decoded at the largest lab resolution and pooled down for 16 px runs. */
export const UPLOAD_SIZE = 32;

const built = new Map<string, Promise<ImageSet>>();
let upload: ImageSet | null = null;

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function fetchBytes(url: string, what: string): Promise<Uint8Array<ArrayBuffer>> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`${what} could not be fetched (${(e as Error).message})`);
  }
  if (!res.ok) throw new Error(`${what} is missing on the server (HTTP ${res.status}): run \`npm run data\` and restart the lab`);
  return new Uint8Array(await res.arrayBuffer());
}

async function loadBuilt(name: string): Promise<ImageSet> {
  const base = new URL(`${import.meta.env.BASE_URL}datasets/${name}/`, self.location.origin).href;
  const manifestBytes = await fetchBytes(`${base}manifest.json`, `the ${name} manifest`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch {
    throw new Error(`the ${name} manifest is not JSON: run \`npm run data -- --force\``);
  }
  const m = validateManifest(json);
  const [pixels, labels] = await Promise.all([fetchBytes(`${base}pixels.bin`, `${name} pixels.bin`), fetchBytes(`${base}labels.bin`, `${name} labels.bin`)]);
  for (const [file, bytes] of [['pixels', pixels], ['labels', labels]] as const) {
    const digest = hex(await crypto.subtle.digest('SHA-256', bytes));
    if (digest !== m.sha256[file]) throw new Error(`${name} ${file}.bin does not match its manifest (damaged or stale): run \`npm run data -- --force\``);
  }
  return imageSetFromFiles(m, pixels, labels);
}

/** The images a run trains on, at the run's resolution. */
export async function loadLabDataset(c: Pick<RunConfig, 'dataset' | 'datasetSize' | 'resolution' | 'seed'>): Promise<ImageSet> {
  if (c.dataset === 'shapes') return makeShapes({ count: c.datasetSize, size: c.resolution, seed: c.seed });
  if (c.dataset === 'upload') {
    if (!upload) throw new Error('no uploaded images yet: choose image files under "Data set → Your images" first');
    return downsampleImageSet(upload, c.resolution);
  }
  let set = built.get(c.dataset);
  if (!set) {
    set = loadBuilt(c.dataset);
    built.set(c.dataset, set);
    set.catch(() => built.delete(c.dataset));
  }
  const full = await set;
  if (c.resolution > full.size) throw new Error(`${c.dataset} has ${full.size}×${full.size} images; choose a resolution of at most ${full.size}`);
  return downsampleImageSet(full, c.resolution);
}

/** Whether a data set has a feature network (KID and class coverage); uploads have none. */
export const hasFeatureNet = (d: LabDataset) => d !== 'upload';

/** A platform decoder for what GrowLab cannot decode itself (WebP): createImageBitmap on an OffscreenCanvas. */
async function decodeWithPlatform(bytes: Uint8Array): Promise<RGBA | null> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } finally {
    bitmap.close();
  }
}

/** Decodes the user's files into the upload set (replacing the last one only when this one is usable). */
export async function setUpload(files: UploadFile[], onProgress?: (done: number, total: number) => void): Promise<UploadSummary> {
  const r = await decodeUploads(files, { size: UPLOAD_SIZE, decodeOther: decodeWithPlatform, ...(onProgress ? { onProgress } : {}) });
  if (r.set) upload = r.set;
  return { accepted: r.used.length, files: files.length, problems: r.problems.map((p) => ({ file: p.file, message: p.message })), ready: r.set !== null, size: UPLOAD_SIZE };
}
