/**
 * A run as one file and back: a zip (fflate) holding growlab-run.json (settings, what the page
 * shows, the checkpoint) with every typed array moved out into arrays/N.bin, plus the stage grids
 * as PNG for people. Imports are checked before anything is used: that the file is a zip, that it
 * is a GrowLab run of a version this lab reads, that its settings are valid, and that every array
 * is present at its promised size (a truncated file fails here, not halfway through training).
 *
 * The generator alone: generator.json (genome and a weight table) and generator.bin (float32, the
 * EMA weights, little-endian, in table order); see docs/generator-format.md.
 */
import { encode } from 'fast-png';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { paramShapes } from '../core/architecture';
import { configProblem } from '../worker/labConfig';
import type { LabCheckpoint, RunConfig } from '../worker/protocol';
import { SAVED_RUN_VERSION, type SavedRun } from './runLibrary';
import type { Grid } from './samplesSlice';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/** Bigger imports are refused before they are read. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
const RUN_FILE = 'growlab-run.json';

const ARRAY_TYPES = {
  f32: Float32Array,
  u8: Uint8Array,
  u8c: Uint8ClampedArray,
  i32: Int32Array,
} as const;
type ArrayTag = keyof typeof ARRAY_TYPES;

function tagOf(a: ArrayBufferView): ArrayTag | null {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Uint8ClampedArray) return 'u8c';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Int32Array) return 'i32';
  return null;
}

/** JSON with typed arrays replaced by references to separate binary files (arrays/0.bin, 1, …). */
function dehydrate(value: unknown, files: Zippable, count = { arrays: 0 }): unknown {
  if (ArrayBuffer.isView(value)) {
    const tag = tagOf(value);
    if (!tag) throw new ArchiveError(`cannot export an array of type ${value.constructor.name}`);
    const name = `arrays/${count.arrays++}.bin`;
    files[name] = new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
    return { $array: name, type: tag, length: (value as Float32Array).length };
  }
  if (Array.isArray(value)) return value.map((v) => dehydrate(v, files, count));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dehydrate(v, files, count)]));
  return value;
}

const arrayRef = z.object({ $array: z.string(), type: z.enum(['f32', 'u8', 'u8c', 'i32']), length: z.number().int().nonnegative() });

function hydrate(value: unknown, files: Record<string, Uint8Array>): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && '$array' in value) {
    const ref = arrayRef.safeParse(value);
    if (!ref.success) throw new ArchiveError('the run refers to an array in a form this lab does not know');
    const bytes = files[ref.data.$array];
    const Type = ARRAY_TYPES[ref.data.type];
    if (!bytes) throw new ArchiveError(`${ref.data.$array} is missing: the file is incomplete (truncated?)`);
    if (bytes.byteLength !== ref.data.length * Type.BYTES_PER_ELEMENT)
      throw new ArchiveError(`${ref.data.$array} holds ${bytes.byteLength} bytes, ${ref.data.length * Type.BYTES_PER_ELEMENT} were promised: the file is damaged or truncated`);
    const copy = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(copy).set(bytes);
    return new Type(copy);
  }
  if (Array.isArray(value)) return value.map((v) => hydrate(v, files));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hydrate(v, files)]));
  return value;
}

/** A grid as PNG bytes. */
export function gridPng(g: Pick<Grid, 'width' | 'height' | 'data'>): Uint8Array {
  return encode({ width: g.width, height: g.height, data: new Uint8Array(g.data.buffer, g.data.byteOffset, g.data.byteLength), channels: 4, depth: 8 });
}

export function exportRun(run: SavedRun): Uint8Array {
  const files: Zippable = {};
  const json = dehydrate({ ...run, kind: 'run' }, files);
  files[RUN_FILE] = strToU8(JSON.stringify(json));
  run.state.samples.gallery.forEach((g, i) => (files[`grids/stage-${String(i).padStart(2, '0')}.png`] = [gridPng(g), { level: 0 }]));
  files['README.txt'] = strToU8(
    `A GrowLab run: ${run.meta.name}\n\ngrowlab-run.json  settings, losses, metrics, search tree and the last checkpoint (arrays in arrays/*.bin)\ngrids/            the sample grid at the end of every stage\n\nImport it in GrowLab: Run library → Import.\n`,
  );
  return zipSync(files, { level: 6 });
}

const savedRunSchema = z.object({
  app: z.literal('growlab', { error: 'not a GrowLab run (its "app" field is not "growlab")' }),
  kind: z.literal('run', { error: 'this GrowLab file is not a run (a generator export?)' }),
  version: z.number().int().positive(),
  meta: z.object({ id: z.string().min(1).max(200), name: z.string().max(500), createdAt: z.number(), savedAt: z.number() }).passthrough(),
  config: z.object({}).passthrough(),
  state: z.object({
    run: z.object({ losses: z.array(z.unknown()), growths: z.array(z.unknown()), stages: z.array(z.unknown()), notes: z.array(z.unknown()) }).passthrough(),
    metrics: z.object({ reports: z.array(z.unknown()) }),
    samples: z.object({ gallery: z.array(z.unknown()) }).passthrough(),
    search: z.object({ nodes: z.record(z.string(), z.unknown()), order: z.array(z.number()) }).passthrough(),
  }),
  checkpoint: z.union([z.null(), z.object({ version: z.literal(1), kind: z.enum(['schedule', 'search']), images: z.number(), lr: z.number() }).passthrough()]),
});

/** A run from an exported file, checked; ArchiveError says what is wrong with a bad one. */
export function importRun(bytes: Uint8Array): SavedRun {
  if (bytes.byteLength === 0) throw new ArchiveError('the file is empty');
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ArchiveError(`the file is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MB; GrowLab runs are far smaller (at most ${MAX_IMPORT_BYTES / 2 ** 20} MB)`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new ArchiveError(`not a GrowLab run: the file is not a zip archive, or it is truncated (${(e as Error).message})`);
  }
  const main = files[RUN_FILE];
  if (!main && files['generator.json']) throw new ArchiveError('this is a generator export (generator.json), not a whole run: only runs can be imported into the lab');
  if (!main) throw new ArchiveError(`not a GrowLab run: there is no ${RUN_FILE} inside`);
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(main));
  } catch {
    throw new ArchiveError(`${RUN_FILE} is not valid JSON: the file is damaged`);
  }
  const version = (json as { version?: unknown })?.version;
  if (typeof version === 'number' && version > SAVED_RUN_VERSION)
    throw new ArchiveError(`this run was saved by a newer GrowLab (format ${version}); this lab reads format ${SAVED_RUN_VERSION}. Update the lab to open it.`);
  const parsed = savedRunSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ArchiveError(i.path.length > 0 ? `not a valid GrowLab run: ${i.path.join('.')}: ${i.message}` : i.message);
  }
  const problem = configProblem(parsed.data.config as unknown as RunConfig);
  if (problem) throw new ArchiveError(`the run's settings are not valid: ${problem}`);
  const run = hydrate(parsed.data, files) as SavedRun & { kind?: string };
  delete run.kind;
  return run;
}

/** The EMA generator of a checkpoint: the current model. */
function generatorOf(c: LabCheckpoint) {
  const snap = c.kind === 'schedule' ? c.trainer : c.search.trainers[c.search.currentId];
  if (!snap) throw new ArchiveError('the checkpoint has no weights for its current model');
  return snap;
}

/** generator.json + generator.bin + a note on how to load them, zipped. */
export function exportGenerator(run: SavedRun): Uint8Array {
  if (!run.checkpoint) throw new ArchiveError('no generator yet: it is saved at the end of the first stage');
  const snap = generatorOf(run.checkpoint);
  // Weight shapes from the genome's layer table (`<layer id>/w` and `/b`), for loaders outside GrowLab.
  const shapes = paramShapes(snap.genome);
  let offset = 0;
  const table = Object.keys(snap.ema).map((name) => {
    const length = snap.ema[name]!.length;
    const entry = { name, shape: shapes.get(name) ?? [length], offset, length };
    offset += length;
    return entry;
  });
  const bin = new Float32Array(offset);
  for (const t of table) bin.set(snap.ema[t.name]!, t.offset);
  const json = {
    format: 'growlab-generator',
    version: 1,
    run: run.meta.name,
    images: run.checkpoint.images,
    genome: snap.genome,
    latent: snap.genome.g.latent,
    channels: snap.genome.channels,
    output: 'NHWC images in [-1, 1]; z ~ N(0, I) of size `latent`',
    weights: table,
  };
  return zipSync({
    'generator.json': strToU8(JSON.stringify(json, null, 1)),
    'generator.bin': new Uint8Array(bin.buffer),
    'LOADER.md': strToU8('Load with GrowLab\'s engine: see docs/generator-format.md and examples/load-generator.ts in the GrowLab repository.\n'),
  });
}
