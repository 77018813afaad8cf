import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertDigitFiles, convertEmoji, emojiImages, recordsOf, shuffleSet } from '../../scripts/dataset-converters';
import { DATA_DIR, DatasetError, loadImageSet, nativeSize, readManifest } from '../../src/cli/datasets';
import { downsampleImageSet, imageAt, sampleBatch, takeImages } from '../../src/core/data/imageSet';
import { imageSetFromFiles, MANIFEST_FORMAT, validateManifest, type Manifest } from '../../src/core/data/manifest';
import { makeShapes, SHAPE_KINDS } from '../../src/core/data/shapes';
import { Rng } from '../../src/core/rng';
import { useBackend } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function manifestFor(name: string, pixels: Uint8Array, labels: Uint8Array, over: Partial<Manifest> = {}): Manifest {
  return {
    format: MANIFEST_FORMAT,
    name,
    count: labels.length,
    size: 4,
    channels: 1,
    classes: ['a', 'b'],
    classCounts: [labels.filter((l) => l === 0).length, labels.filter((l) => l === 1).length],
    licence: 'MIT',
    attribution: 'test',
    source: { package: 'test', version: '1.0.0', files: 'none' },
    notes: [],
    sha256: { pixels: sha(pixels), labels: sha(labels) },
    ...over,
  };
}

describe('manifest', () => {
  const pixels = new Uint8Array(3 * 16).map((_, i) => i);
  const labels = new Uint8Array([0, 1, 1]);
  const good = manifestFor('tiny', pixels, labels);

  it('accepts a good manifest and joins it with its files', () => {
    expect(validateManifest(JSON.parse(JSON.stringify(good)))).toEqual(good);
    const set = imageSetFromFiles(good, pixels, labels);
    expect(set).toMatchObject({ name: 'tiny', count: 3, size: 4, channels: 1, classes: ['a', 'b'] });
    expect(Array.from(set.labels!)).toEqual([0, 1, 1]);
  });

  it.each([
    [{ format: 99 }, /format/],
    [{ count: 0 }, /count/],
    [{ size: 24 }, /size: must be a power of two/],
    [{ channels: 2 }, /channels/],
    [{ classes: [] }, /classes/],
    [{ classCounts: [1, 1] }, /classCounts: sums to 2, not count 3/],
    [{ classCounts: [3] }, /classCounts: has 1 entries for 2 classes/],
    [{ name: 'Bad Name' }, /name: must be lower-case/],
    [{ sha256: { pixels: 'xyz', labels: 'abc' } }, /sha256.pixels/],
    [{ licence: undefined }, /licence/],
  ])('rejects %j naming the field', (change, message) => {
    expect(() => validateManifest({ ...good, ...change })).toThrow(message);
  });

  it('rejects files that do not match the manifest', () => {
    expect(() => imageSetFromFiles(good, pixels.subarray(1), labels)).toThrow(/pixels.bin of tiny has 47 bytes, the manifest promises 48/);
    expect(() => imageSetFromFiles(good, pixels, labels.subarray(1))).toThrow(/labels.bin of tiny has 2 bytes/);
    expect(() => imageSetFromFiles(good, pixels, new Uint8Array([0, 1, 7]))).toThrow(/image 2 has class 7, but there are only 2 classes/);
  });
});

describe('build-datasets converters', () => {
  const img = (v: number) => Array.from({ length: 784 }, (_, i) => (i === 0 ? v : 0));

  it('reads flat [0, 1] records and nested [0, 255] rows, skipping empty rows', () => {
    const flat = recordsOf({ data: [...img(1), ...img(0.2)] }, 'd/0.json', 'unit');
    expect(flat.records.map((r) => r[0])).toEqual([255, 51]);
    const nested = recordsOf({ data: [img(255), [], img(7)] }, 'c/0.json', 'byte');
    expect(nested.records.map((r) => r[0])).toEqual([255, 7]);
    expect(nested.skipped).toBe(1);
  });

  it.each([
    [{ nope: 1 }, 'unit', /'data' array/],
    [{ data: [1, 2, 3] }, 'unit', /not a whole number of 28×28 images/],
    [{ data: [img(3)] }, 'unit', /record 0, pixel 0 is 3, expected a number in \[0, 1\]/],
    [{ data: [img(0.5)] }, 'byte', /expected an integer in \[0, 255\]/],
    [{ data: [[1, 2]] }, 'byte', /record 0 has 2 values, expected 784/],
  ] as const)('rejects malformed input %#', (json, scale, message) => {
    expect(() => recordsOf(json, 'x.json', scale)).toThrow(message);
  });

  it('pads 28×28 to 32×32 with 2 black pixels on each side and counts classes', () => {
    const white = Array.from({ length: 784 }, () => 255);
    const set = convertDigitFiles(
      [
        { label: 0, file: '0.json', json: { data: [white] } },
        { label: 1, file: '1.json', json: { data: [white, [], white] } },
      ],
      'byte',
      2,
    );
    expect([set.count, set.size, set.channels]).toEqual([3, 32, 1]);
    expect(set.classCounts).toEqual([1, 2]);
    expect(Array.from(set.labels)).toEqual([0, 1, 1]);
    expect(set.notes).toEqual(['1.json: 1 empty record skipped']);
    const first = set.pixels.subarray(0, 1024);
    const at = (x: number, y: number) => first[y * 32 + x];
    expect([at(0, 0), at(1, 16), at(16, 1), at(30, 16), at(16, 31)]).toEqual([0, 0, 0, 0, 0]);
    expect([at(2, 2), at(29, 29), at(16, 16)]).toEqual([255, 255, 255]);
    expect(first.reduce((s, v) => s + (v === 255 ? 1 : 0), 0)).toBe(784);
  });

  it('lists emoji with their skin tones in sort order and composites them on white', () => {
    const list = emojiImages([
      { image: 'b.png', category: 'Y', sort_order: 2 },
      { image: 'a.png', category: 'X', sort_order: 1, skin_variations: { '1F3FB': { image: 'a-1.png' } } },
    ]);
    expect(list).toEqual([
      { image: 'a.png', category: 'X' },
      { image: 'a-1.png', category: 'X' },
      { image: 'b.png', category: 'Y' },
    ]);
    // A 2×2 RGBA PNG: opaque red, transparent, half-transparent black, opaque blue.
    const png = encodePng({ width: 2, height: 2, channels: 4, depth: 8, data: new Uint8Array([255, 0, 0, 255, 9, 9, 9, 0, 0, 0, 0, 128, 0, 0, 255, 255]) });
    const set = convertEmoji(list, ['X', 'Y'], (f) => (f === 'a-1.png' ? null : png), 2);
    expect(set.count).toBe(2);
    expect(set.classCounts).toEqual([1, 1]);
    expect(set.notes[0]).toMatch(/1 images listed in emoji.json but missing .* \(a-1.png\)/);
    expect(Array.from(set.pixels.subarray(0, 12))).toEqual([255, 0, 0, 255, 255, 255, 127, 127, 127, 0, 0, 255]);
    expect(() => convertEmoji([{ image: 'a.png', category: 'Z' }], ['X'], () => png, 2)).toThrow(/category 'Z' is not among the classes/);
  });

  it('shuffles images and labels together, repeatably', () => {
    const base = { count: 5, size: 1, channels: 1 as const, pixels: new Uint8Array([10, 11, 12, 13, 14]), labels: new Uint8Array([0, 1, 2, 3, 4]), classCounts: [1, 1, 1, 1, 1], notes: [] };
    const a = shuffleSet(base, 1);
    expect(Array.from(a.pixels).map((p) => p - 10)).toEqual(Array.from(a.labels));
    expect(Array.from(a.labels).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(shuffleSet(base, 1).labels).toEqual(a.labels);
  });
});

describe('built data sets (npm run data)', () => {
  it.each([
    ['mnist', 10_000, 32, 1, 10],
    ['fashion-mnist', 70_000, 32, 1, 10],
    ['emoji', 3_786, 64, 3, 10],
  ] as const)('%s has %i images of %i px × %i channels in %i classes', (name, count, size, channels, classes) => {
    const set = loadImageSet(name);
    expect([set.count, set.size, set.channels, set.classes!.length]).toEqual([count, size, channels, classes]);
    expect(set.pixels.length).toBe(count * size * size * channels);
    const m = readManifest(name);
    expect(m.classCounts.reduce((a, b) => a + b, 0)).toBe(count);
    expect(m.licence).toMatch(/MIT|Apache/);
    expect(m.source.version).toBe(JSON.parse(readFileSync(join(__dirname, `../../node_modules/${m.source.package}/package.json`), 'utf8')).version);
    // The stored order mixes the classes: the first 200 images hold most of them.
    expect(new Set(set.labels!.subarray(0, 200)).size).toBeGreaterThanOrEqual(name === 'emoji' ? 6 : 10);
  });

  it('pads the 28×28 sets with black and composites emoji on white', () => {
    for (const name of ['mnist', 'fashion-mnist']) {
      const set = loadImageSet(name, { size: 50 });
      for (let i = 0; i < set.count; i++) {
        const img = imageAt(set, i);
        for (let k = 0; k < 32; k++) for (const [x, y] of [[k, 0], [k, 1], [0, k], [31, k], [k, 30]]) expect(img[y! * 32 + x!]).toBe(0);
      }
    }
    const emoji = loadImageSet('emoji', { size: 50 });
    for (let i = 0; i < emoji.count; i++) expect(Array.from(imageAt(emoji, i).subarray(0, 3))).toEqual([255, 255, 255]); // corner: background
  });

  it('serves smaller resolutions by average pooling and a prefix by size', () => {
    const full = loadImageSet('emoji', { size: 3 });
    const small = loadImageSet('emoji', { size: 3, resolution: 16 });
    expect([small.count, small.size]).toEqual([3, 16]);
    expect(small.pixels).toEqual(downsampleImageSet(full, 16).pixels);
    expect(nativeSize('emoji')).toBe(64);
    expect(nativeSize('shapes')).toBeNull();
  });

  it.each([
    ['imagenet', {}, /unknown data set 'imagenet' \(known: mnist, fashion-mnist, emoji, shapes\)/],
    ['emoji', { resolution: 128 }, /'emoji' has 64×64 images; the resolution can be at most 64, got 128/],
    ['mnist', { resolution: 24 }, /power of two/],
    ['mnist', { size: 0 }, /size must be a positive whole number/],
  ])('rejects %s %j clearly', (name, o, message) => {
    expect(() => loadImageSet(name, o)).toThrow(message);
  });
});

describe('loadImageSet on missing or damaged files', () => {
  let dir: string;
  const pixels = new Uint8Array(4 * 16).map((_, i) => i);
  const labels = new Uint8Array([0, 1, 0, 1]);
  /** A fresh data dir holding a tiny valid 'mnist', changed by `damage`. */
  function dataDir(damage: (setDir: string) => void = () => {}): string {
    const d = mkdtempSync(join(dir, 'd-'));
    const setDir = join(d, 'mnist');
    mkdirSync(setDir);
    writeFileSync(join(setDir, 'pixels.bin'), pixels);
    writeFileSync(join(setDir, 'labels.bin'), labels);
    writeFileSync(join(setDir, 'manifest.json'), JSON.stringify(manifestFor('mnist', pixels, labels)));
    damage(setDir);
    return d;
  }
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'growlab-data-'));
  });

  it('loads the tiny set when nothing is wrong', () => {
    expect(loadImageSet('mnist', { dataDir: dataDir() }).count).toBe(4);
  });

  it.each([
    ['no data folder', null, /data set 'mnist' is not built: .*manifest.json is missing; run `npm run data` to build it/],
    ['manifest not JSON', (d: string) => writeFileSync(join(d, 'manifest.json'), '{oops'), /manifest.json is not valid JSON .*npm run data -- --force/],
    ['manifest invalid', (d: string) => writeFileSync(join(d, 'manifest.json'), JSON.stringify({ name: 'mnist' })), /is not a valid data set manifest: format/],
    ['pixels.bin missing', (d: string) => rmSync(join(d, 'pixels.bin')), /incomplete: .*pixels.bin is missing/],
    ['pixels.bin truncated', (d: string) => writeFileSync(join(d, 'pixels.bin'), pixels.subarray(0, 10)), /damaged: pixels.bin of mnist has 10 bytes, the manifest promises 64/],
    ['pixels.bin changed', (d: string) => writeFileSync(join(d, 'pixels.bin'), pixels.map((v) => 255 - v)), /damaged: pixels.bin does not match the SHA-256 digest/],
    ['label out of range', (d: string) => writeFileSync(join(d, 'labels.bin'), new Uint8Array([0, 1, 5, 1])), /damaged: .*image 2 has class 5/],
  ])('%s → a clear message', (_what, damage, message) => {
    const d = damage ? dataDir(damage) : mkdtempSync(join(dir, 'empty-'));
    expect(() => loadImageSet('mnist', { dataDir: d })).toThrow(DatasetError);
    expect(() => loadImageSet('mnist', { dataDir: d })).toThrow(message);
  });

  it('uses the repository data folder by default', () => {
    expect(DATA_DIR.replace(/\\/g, '/')).toMatch(/\/data\/?$/);
  });
});

describe('ImageSet helpers', () => {
  beforeAll(() => useBackend('wasm'));

  it('labels shapes with their kind', () => {
    const set = makeShapes({ count: 30, size: 8, seed: 2 });
    expect(set.classes).toEqual([...SHAPE_KINDS]);
    expect(set.labels).toHaveLength(30);
    expect(new Set(set.labels).size).toBe(3);
  });

  it('mirrors batches on request, seeded, and keeps the old stream without it', () => {
    // One 2×2 grey image: left column 0, right column 255.
    const set = { name: 't', count: 1, size: 2, channels: 1, pixels: new Uint8Array([0, 255, 0, 255]) };
    const plain = sampleBatch(set, 8, 2, new Rng(5));
    expect(Array.from(plain.dataSync())).toEqual(Array(8).fill([-1, 1, -1, 1]).flat());
    const a = sampleBatch(set, 64, 2, new Rng(5), { mirror: true });
    const b = sampleBatch(set, 64, 2, new Rng(5), { mirror: true });
    const va = Array.from(a.dataSync());
    expect(va).toEqual(Array.from(b.dataSync()));
    const flipped = Array.from({ length: 64 }, (_, k) => va[k * 4] === 1).filter(Boolean).length;
    expect(flipped).toBeGreaterThan(16);
    expect(flipped).toBeLessThan(48);
    for (let k = 0; k < 64; k++) expect(va.slice(k * 4, k * 4 + 4)).toEqual(va[k * 4] === 1 ? [1, -1, 1, -1] : [-1, 1, -1, 1]);
    plain.dispose();
    a.dispose();
    b.dispose();
  });

  it('takes prefixes and average-pools whole sets', () => {
    const set = { name: 't', count: 2, size: 4, channels: 1, pixels: new Uint8Array(32).map((_, i) => i * 8), labels: new Uint8Array([1, 0]) };
    const first = takeImages(set, 1);
    expect([first.count, first.pixels.length, Array.from(first.labels!)]).toEqual([1, 16, [1]]);
    const small = downsampleImageSet(set, 2);
    // Image 0 rows are 0,8,16,24 / 32..56 / …: the top-left 2×2 block averages (0+8+32+40)/4 = 20.
    expect(Array.from(small.pixels.subarray(0, 4))).toEqual([20, 36, 84, 100]);
    expect(() => downsampleImageSet(set, 3)).toThrow(/divided by a power of two/);
  });
});
