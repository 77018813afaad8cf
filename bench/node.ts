/**
 * `npm run bench`: training-step speed in Node, per backend — numbers, not tests.
 *
 *   npm run bench                         wasm: reference step + the lab's default GAN at 4–32 px
 *   npm run bench -- --backends wasm,cpu  also the pure-JS cpu backend (slow: minutes per step)
 *   npm run bench -- --vs-torch           also bench/torch_reference.py (PyTorch, 1 and 2 threads)
 *   npm run bench -- --steps 9 --profile  more timed steps; per-kernel profile of the slowest case
 *
 * Each case: 2 warm-up steps, then the median of ≥ 5 timed steps.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SPACE, applyAction, completeFade } from '../src/core/actions';
import { summarize } from '../src/core/architecture';
import { createBaseGenome, type Genome } from '../src/core/genome';
import { proganActions } from '../src/core/progan';
import { Rng } from '../src/core/rng';
import { DEFAULT_TRAINER, Trainer } from '../src/core/trainer';
import { useNodeBackend, NODE_BACKENDS, type NodeBackend } from '../src/cli/nodeBackend';
import { referenceFlops, referenceModel, REF, stepFlops } from './reference';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const STEPS = Math.max(5, Number(value('--steps', '5')));
const LAB_BATCH = 32;
const backends = value('--backends', 'wasm').split(',') as NodeBackend[];
for (const b of backends) if (!NODE_BACKENDS.includes(b)) throw new Error(`unknown backend '${b}' (use ${NODE_BACKENDS.join(', ')})`);

interface Row {
  backend: string;
  case: string;
  batch: number;
  msPerStep: number;
  imagesPerSec: number;
  gflopPerSec: number;
}

interface BenchCase {
  name: string;
  batch: number;
  flops: number;
  step: () => Promise<void>;
  dispose: () => void;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(step: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 2; i++) await step();
  const ms: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function labGenome(res: number): Genome {
  const space = { ...DEFAULT_SPACE, maxResolution: res };
  return proganActions(4, res, 64).reduce((g, a) => completeFade(applyAction(g, a, space)), createBaseGenome({ channels: 3 }));
}

/** WGAN-GP step FLOPs: D update ≈ F_G + 15·F_D (real, fake, and the penalty's double backward), G update 3·(F_G + F_D). */
function labStepFlops(genome: Genome, batch: number): number {
  const s = summarize(genome);
  return batch * (4 * s.G.flops + 18 * s.D.flops);
}

function labCase(res: number): BenchCase {
  const genome = labGenome(res);
  const rng = new Rng(1);
  const trainer = new Trainer(genome, DEFAULT_TRAINER, rng);
  const real = tf.tensor4d(rng.uniforms(LAB_BATCH * res * res * 3).map((x) => 2 * x - 1), [LAB_BATCH, res, res, 3]);
  return {
    name: `lab GAN ${res}×${res} (WGAN-GP)`,
    batch: LAB_BATCH,
    flops: labStepFlops(genome, LAB_BATCH),
    step: async () => void (await trainer.step(real)),
    dispose: () => {
      real.dispose();
      trainer.dispose();
    },
  };
}

function referenceCase(): BenchCase {
  const model = referenceModel();
  return {
    name: 'reference DCGAN 32×32 (PLATFORM.md)',
    batch: REF.batch,
    flops: stepFlops(referenceFlops(), REF.batch),
    step: () => model.step(),
    dispose: () => model.dispose(),
  };
}

async function profile(make: () => BenchCase): Promise<void> {
  const c = make();
  await c.step();
  const info = await tf.profile(() => c.step());
  c.dispose();
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs) || 0;
    e.calls++;
    byKernel.set(k.name, e);
  }
  const total = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
  console.log(`\nPer-kernel profile of one step of ${c.name} (${total.toFixed(0)} ms in kernels):`);
  console.log('kernel                         ms     share  calls');
  for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
    console.log(`${name.padEnd(28)} ${e.ms.toFixed(1).padStart(7)} ${((100 * e.ms) / total).toFixed(1).padStart(6)}%  ${e.calls}`);
}

function torchReference(): { threads: number; msPerStep: number }[] {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_reference.py');
  const r = spawnSync('/usr/bin/python3', [script, '--steps', String(STEPS), '--json'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`\nPyTorch reference unavailable: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
    console.log('Install it with: apt-get install python3-torch (runs with /usr/bin/python3)');
    return [];
  }
  return JSON.parse(r.stdout) as { threads: number; msPerStep: number }[];
}

const rows: Row[] = [];
const makers: (() => BenchCase)[] = [referenceCase, ...[4, 8, 16, 32].map((res) => () => labCase(res))];
for (const backend of backends) {
  const info = await useNodeBackend(backend);
  console.log(`backend ${backend}${info.simd ? ' (SIMD)' : ''}, ${info.threads} thread, Node ${process.version}`);
  for (const make of makers) {
    const c = make();
    const ms = await time(c.step);
    c.dispose();
    const row = { backend, case: c.name, batch: c.batch, msPerStep: ms, imagesPerSec: (1000 * c.batch) / ms, gflopPerSec: c.flops / ms / 1e6 };
    rows.push(row);
    console.log(`  ${row.case.padEnd(38)} batch ${String(row.batch).padStart(3)}  ${ms.toFixed(0).padStart(6)} ms/step  ${row.imagesPerSec.toFixed(0).padStart(5)} img/s  ${row.gflopPerSec.toFixed(2).padStart(6)} GFLOP/s`);
  }
  if (flag('--profile')) {
    const slowest = rows.filter((r) => r.backend === backend && r.case.startsWith('lab')).sort((a, b) => b.msPerStep - a.msPerStep)[0]!;
    const res = Number(/(\d+)×/.exec(slowest.case)![1]);
    await profile(() => labCase(res));
    await profile(referenceCase);
  }
}

const WASM_PEAK_GFLOPS = 48; // one core, 128-bit SIMD FMA at 3 GHz (PLATFORM.md)
const ref = rows.find((r) => r.backend === 'wasm' && r.case.startsWith('reference'));
if (ref) console.log(`\nwasm reference step reaches ${((100 * ref.gflopPerSec) / WASM_PEAK_GFLOPS).toFixed(1)} % of one core's ~${WASM_PEAK_GFLOPS} GFLOP/s SIMD peak`);

if (flag('--vs-torch')) {
  const torch = torchReference();
  for (const t of torch) {
    const ratio = ref ? ` — tfjs-wasm / PyTorch = ${(ref.msPerStep / t.msPerStep).toFixed(2)}` : '';
    console.log(`PyTorch ${t.threads} thread${t.threads > 1 ? 's' : ''}: ${t.msPerStep.toFixed(0)} ms/step${ratio}`);
  }
}
