/**
 * Writes the bad-input corpus, tests/fixtures/bad-inputs/: uploads that are not usable images,
 * imports that are not (whole, current, valid) GrowLab runs, and malformed URL hashes, with
 * expected.json naming the message each must produce. The files are committed; run this again
 * (`npx tsx scripts/make-bad-inputs.ts`) only to change the corpus.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { strToU8, unzipSync, zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import omggif from 'omggif';
import { Rng } from '../src/core/rng';
import { exportRun } from '../src/store/runArchive';
import { EMPTY_RUN } from '../src/store/runSlice';
import { EMPTY_SAMPLES } from '../src/store/samplesSlice';
import { EMPTY_SEARCH } from '../src/store/searchSlice';
import type { SavedRun } from '../src/store/runLibrary';
import { DEFAULT_CONFIG } from '../src/worker/labConfig';

const DIR = 'tests/fixtures/bad-inputs';

interface Expected {
  file: string;
  kind: 'upload' | 'import' | 'hash';
  /** A regular expression the message must match. */
  message: string;
}

function solid(w: number, h: number, rgba: number[]): Uint8Array {
  const d = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) d.set(rgba, i * 4);
  return d;
}
const png = (w: number, h: number) => encodePng({ width: w, height: h, channels: 4, depth: 8, data: solid(w, h, [200, 30, 30, 255]) });
const jpg = (w: number, h: number) => new Uint8Array(jpeg.encode({ width: w, height: h, data: solid(w, h, [10, 20, 30, 255]) }, 95).data);
function gif(w: number, h: number): Uint8Array {
  const buf = new Uint8Array(1024 + w * h * 2);
  const writer = new omggif.GifWriter(buf, w, h, { palette: [0xff0000, 0x000000] });
  writer.addFrame(0, 0, w, h, new Array(w * h).fill(0));
  return buf.subarray(0, writer.end());
}
const text = (s: string) => strToU8(s);

/** A small but complete run, the base of the damaged imports. */
function sampleRun(): SavedRun {
  const grid = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4).fill(128), count: 1, columns: 1, resolution: 8, stage: 0, images: 64 };
  return {
    app: 'growlab',
    version: 1,
    meta: { id: 'fixture', name: 'fixture', createdAt: 0, savedAt: 0, mode: 'progan', dataset: 'shapes', resolution: 8, images: 64, stages: 1, status: 'stopped', bytes: 256 },
    config: DEFAULT_CONFIG,
    state: { run: { ...EMPTY_RUN, status: 'stopped' }, metrics: { reports: [] }, samples: { ...EMPTY_SAMPLES, gallery: [grid] }, search: EMPTY_SEARCH },
    checkpoint: null,
  };
}

function rezip(zip: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(zip);
  change(files);
  return zipSync(files);
}
const runJson = (zip: Uint8Array) => JSON.parse(new TextDecoder().decode(unzipSync(zip)['growlab-run.json'])) as Record<string, unknown>;
const withJson = (zip: Uint8Array, json: unknown) => rezip(zip, (f) => (f['growlab-run.json'] = strToU8(JSON.stringify(json))));

async function main(): Promise<void> {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  const expected: Expected[] = [];
  const put = async (file: string, bytes: Uint8Array | string, kind: Expected['kind'], message: string) => {
    await writeFile(join(DIR, file), bytes);
    expected.push({ file, kind, message });
  };

  // Uploads (decoded at 32×32 in the lab).
  const good = png(40, 40);
  const rng = new Rng(3);
  const bomb = png(2, 2);
  bomb.set([0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0], 16); // IHDR claims 100000×100000
  const goodJpeg = jpg(40, 40);
  await put('truncated.png', good.subarray(0, good.length - 20), 'upload', '^unreadable: the PNG data is corrupt or truncated');
  await put('corrupt.png', good.map((b, i) => (i > 40 && i < 60 ? b ^ 0x55 : b)), 'upload', '^unreadable: the PNG data is corrupt or truncated');
  await put('random.png', new Uint8Array(2000).map(() => rng.int(256)), 'upload', 'its first bytes match no known image format');
  await put('empty.png', new Uint8Array(0), 'upload', '^empty file \\(0 bytes\\)$');
  await put('notes.png', text('these are my holiday notes, not a picture\n'), 'upload', '^not an image: the file holds text');
  await put('page.svg', text('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>'), 'upload', '^not an image: the file holds text');
  await put('bomb.png', bomb, 'upload', '^too large: 100000×100000 pixels');
  await put('dot.png', png(1, 1), 'upload', '^too small: 1×1 pixels');
  await put('cut.jpg', goodJpeg.subarray(0, goodJpeg.length - 30), 'upload', '^unreadable: the JPEG data is corrupt or truncated');
  await put('cut.gif', gif(16, 16).subarray(0, 14), 'upload', '^unreadable: the GIF data is corrupt or truncated');
  await put('paper.pdf', text('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj'), 'upload', '^unsupported format: the file is a PDF document');
  await put('old.bmp', new Uint8Array(64).map((v, i) => (i === 0 ? 0x42 : i === 1 ? 0x4d : 0)), 'upload', '(^unsupported format: BMP|platform.s image decoder could not read this BMP file)');

  // Imports.
  const run = exportRun(sampleRun());
  const json = runJson(run);
  await put('not-a-zip.zip', text('PK? no, just text pretending to be a zip'), 'import', 'not a zip archive, or it is truncated');
  await put('empty.zip', new Uint8Array(0), 'import', 'the file is empty');
  await put('no-run.zip', zipSync({ 'README.txt': text('hello') }), 'import', 'there is no growlab-run.json inside');
  await put('bad-json.zip', rezip(run, (f) => (f['growlab-run.json'] = text('{"app": "growlab", '))), 'import', 'growlab-run.json is not valid JSON');
  await put('wrong-app.zip', withJson(run, { ...json, app: 'someone-else' }), 'import', 'its "app" field is not "growlab"');
  await put('newer-version.zip', withJson(run, { ...json, version: 99 }), 'import', 'saved by a newer GrowLab \\(format 99\\)');
  await put('truncated-run.zip', run.subarray(0, Math.floor(run.length / 2)), 'import', 'not a zip archive, or it is truncated');
  await put('missing-array.zip', rezip(run, (f) => delete f['arrays/0.bin']), 'import', 'arrays/0.bin is missing');
  await put('short-array.zip', rezip(run, (f) => (f['arrays/0.bin'] = f['arrays/0.bin']!.subarray(0, 10))), 'import', 'arrays/0.bin holds 10 bytes, 256 were promised');
  await put('bad-config.zip', withJson(run, { ...json, config: { ...(json.config as object), resolution: 17 } }), 'import', "the run's settings are not valid: resolution must be one of");
  await put('no-state.zip', withJson(run, { ...json, state: null }), 'import', 'not a valid GrowLab run: state');
  await put('generator.zip', zipSync({ 'generator.json': text('{}'), 'generator.bin': new Uint8Array(4) }), 'import', 'this is a generator export');

  // URL hashes.
  await put('not-a-number.hash', '#res=banana', 'hash', 'res=banana is not a number; skipped');
  await put('unknown-mode.hash', '#mode=quantum', 'hash', "mode=quantum: unknown mode 'quantum'; skipped");
  await put('bad-encoding.hash', '#seed=%E0%A4%A', 'hash', "'seed' is not properly encoded; skipped");
  await put('unknown-key.hash', '#colour=red', 'hash', "unknown setting 'colour'; skipped");
  await put('huge-batch.hash', '#batch=1000000', 'hash', 'batch=1000000: batch must be a whole number from 1 to 256; skipped');
  await put('too-long.hash', `#${'seed=1&'.repeat(400)}`, 'hash', 'more than a GrowLab link holds');

  await writeFile(join(DIR, 'expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
  console.log(`wrote ${expected.length} bad inputs to ${DIR}`);
}

await main();
