/**
 * `npm run bench`: training-step speed in Node, per backend — numbers, not tests.
 *
 *   npm run bench                         wasm: reference step + the lab's default GAN at 4–32 px
 *   npm run bench -- --backends wasm,cpu  also the pure-JS cpu backend (slow: minutes per step)
 *   npm run bench -- --vs-torch           also bench/torch_reference.py (PyTorch, 1 and 2 threads)
 *   npm run bench -- --steps 9 --profile  more timed steps; per-kernel profile of the slowest case
 *   npm run bench -- --metrics            only the metrics: SWD, FID and KID on 2,000 samples per set
 *
 * Each case: 2 warm-up steps, then the median of ≥ 5 timed steps.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASE_IDS, profileCase, runCase, type BenchRow, type CaseId } from '../src/core/bench/cases';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../src/cli/nodeBackend';
import { makeShapes } from '../src/core/data/shapes';
import { fid } from '../src/core/metrics/fid';
import { kid } from '../src/core/metrics/kid';
import { swd } from '../src/core/metrics/swd';
import { Rng } from '../src/core/rng';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const STEPS = Math.max(5, Number(value('--steps', '5')));
const backends = value('--backends', 'wasm').split(',') as NodeBackend[];
for (const b of backends) if (!NODE_BACKENDS.includes(b)) throw new Error(`unknown backend '${b}' (use ${NODE_BACKENDS.join(', ')})`);
const cases = value('--cases', CASE_IDS.join(',')).split(',') as CaseId[];
for (const c of cases) if (!CASE_IDS.includes(c)) throw new Error(`unknown case '${c}' (use ${CASE_IDS.join(', ')})`);

function printRow(r: BenchRow): void {
  console.log(`  ${r.case.padEnd(38)} batch ${String(r.batch).padStart(3)}  ${r.msPerStep.toFixed(0).padStart(6)} ms/step  ${r.imagesPerSec.toFixed(0).padStart(5)} img/s  ${r.gflopPerSec.toFixed(2).padStart(6)} GFLOP/s`);
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

/** SWD on 2,000 32×32 shapes images per set; FID and KID on 2,000 random 64-d features per set. */
async function benchMetrics(backend: NodeBackend): Promise<void> {
  const info = await useNodeBackend(backend);
  console.log(`metrics on ${backend}${info.simd ? ' (SIMD)' : ''}, ${info.threads} thread, Node ${process.version}`);
  const N = 2000;
  const real = makeShapes({ count: N, size: 32, seed: 1 });
  const fake = makeShapes({ count: N, size: 32, seed: 2 });
  let t = performance.now();
  const s = await swd(real, fake, new Rng(1));
  const levels = s.levels.map((l) => `${l.res}: ${l.swd.toFixed(2)}`).join(', ');
  console.log(`  SWD  ${N} vs ${N} 32×32 images   ${((performance.now() - t) / 1000).toFixed(2).padStart(6)} s   (${levels}; avg ${s.avg.toFixed(2)})`);
  const D = 64;
  const rng = new Rng(2);
  const mix = rng.normals(D * D);
  const features = (shift: number) => {
    const z = rng.normals(N * D);
    const x = new Float32Array(N * D);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < D; j++) {
        let v = shift;
        for (let k = 0; k < D; k++) v += (mix[j * D + k]! * z[i * D + k]!) / Math.sqrt(D);
        x[i * D + j] = v;
      }
    return { data: x, rows: N, cols: D };
  };
  const a = features(0);
  const b = features(0.1);
  t = performance.now();
  const f = fid(a, b);
  console.log(`  FID  ${N} vs ${N} ${D}-d features   ${((performance.now() - t) / 1000).toFixed(2).padStart(6)} s   (${f.fid.toFixed(3)})`);
  t = performance.now();
  const k = kid(a, b, new Rng(3));
  console.log(
    `  KID  ${N} vs ${N} ${D}-d features   ${((performance.now() - t) / 1000).toFixed(2).padStart(6)} s   (${k.mean.toFixed(4)} ± ${k.std.toFixed(4)}, ${k.subsets} subsets of ${k.subsetSize})`,
  );
}

if (flag('--metrics')) {
  await benchMetrics(backends[0]!);
  process.exit(0);
}

const rows: BenchRow[] = [];
for (const backend of backends) {
  const info = await useNodeBackend(backend);
  console.log(`backend ${backend}${info.simd ? ' (SIMD)' : ''}, ${info.threads} thread, Node ${process.version}`);
  for (const id of cases) {
    const row = await runCase(id, STEPS);
    rows.push(row);
    printRow(row);
  }
  if (flag('--profile')) {
    const slowest = cases.filter((c) => c !== 'reference').at(-1);
    for (const id of [slowest, 'reference'] as const) {
      if (!id || !cases.includes(id)) continue;
      const kernels = await profileCase(id);
      const total = kernels.reduce((a, k) => a + k.ms, 0);
      console.log(`\nPer-kernel profile of one ${id} step on ${backend} (${total.toFixed(0)} ms in kernels):`);
      console.log('kernel                         ms     share  calls');
      for (const k of kernels.slice(0, 15))
        console.log(`${k.name.padEnd(28)} ${k.ms.toFixed(1).padStart(7)} ${((100 * k.ms) / total).toFixed(1).padStart(6)}%  ${k.calls}`);
    }
  }
}

const WASM_PEAK_GFLOPS = 48; // one core, 128-bit SIMD FMA at 3 GHz (PLATFORM.md)
const ref = rows.find((r) => r.backend === 'wasm' && r.case.startsWith('reference'));
if (ref) console.log(`\nwasm reference step reaches ${((100 * ref.gflopPerSec) / WASM_PEAK_GFLOPS).toFixed(1)} % of one core's ~${WASM_PEAK_GFLOPS} GFLOP/s SIMD peak`);

if (flag('--vs-torch')) {
  for (const t of torchReference()) {
    const ratio = ref ? ` — tfjs-wasm / PyTorch = ${(ref.msPerStep / t.msPerStep).toFixed(2)}` : '';
    console.log(`PyTorch ${t.threads} thread${t.threads > 1 ? 's' : ''}: ${t.msPerStep.toFixed(0)} ms/step${ratio}`);
  }
}
