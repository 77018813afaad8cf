/**
 * Loads a generator exported from the lab ("Export generator": a zip with generator.json and
 * generator.bin) and draws 16 samples into a PNG. The format is docs/generator-format.md.
 *
 *   npx tsx examples/load-generator.ts my-run-generator.zip samples.png
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { useNodeBackend } from '../src/cli/nodeBackend';
import { writePng } from '../src/cli/png';
import { validateGenome } from '../src/core/genome';
import { imagesToGrid } from '../src/core/grid';
import { generate } from '../src/core/model';

const [zipPath, out = 'samples.png'] = process.argv.slice(2);
if (!zipPath) throw new Error('usage: npx tsx examples/load-generator.ts <generator.zip> [out.png]');

await useNodeBackend('wasm');
const files = unzipSync(new Uint8Array(await readFile(zipPath)));
const meta = JSON.parse(new TextDecoder().decode(files['generator.json'])) as {
  format: string;
  version: number;
  genome: unknown;
  latent: number;
  weights: { name: string; shape: number[]; offset: number; length: number }[];
};
if (meta.format !== 'growlab-generator' || meta.version !== 1) throw new Error(`${zipPath} is not a version-1 GrowLab generator`);
const genome = validateGenome(meta.genome);
const floats = new Float32Array(files['generator.bin']!.slice().buffer);
// One variable per weight, named as the engine names them (`<layer id>/w`, `<layer id>/b`).
const params = new Map(meta.weights.map((w) => [w.name, tf.variable(tf.tensor(floats.subarray(w.offset, w.offset + w.length), w.shape), false)]));

const n = 16;
const z = tf.randomNormal([n, meta.latent]) as tf.Tensor2D;
const images = generate(genome, params, z); // NHWC in [-1, 1]
const [, size, , channels] = images.shape;
const grid = imagesToGrid((await images.data()) as Float32Array, n, size, channels, 4);
await writePng(out, grid);
console.log(`wrote ${n} samples at ${size}×${size} to ${out}`);
