/**
 * Benchmark cases shared by `npm run bench` (Node) and `npm run bench:browser` (the worker):
 * the reference DCGAN step of PLATFORM.md and the lab's default GAN at each resolution.
 * Each case times whole training steps; the median of the timed steps is reported.
 */
import * as tf from '@tensorflow/tfjs';
import { applyAction, completeFade, DEFAULT_SPACE } from '../actions';
import { summarize } from '../architecture';
import { createBaseGenome, type Genome } from '../genome';
import { proganActions } from '../progan';
import { Rng } from '../rng';
import { DEFAULT_TRAINER, Trainer } from '../trainer';
import { REF, referenceFlops, referenceModel, stepFlops } from './reference';

export interface BenchCase {
  name: string;
  batch: number;
  /** FLOPs of one training step (see the estimates below). */
  flops: number;
  step: () => Promise<void>;
  dispose: () => void;
}

export interface BenchRow {
  id: CaseId;
  backend: string;
  case: string;
  batch: number;
  msPerStep: number;
  imagesPerSec: number;
  gflopPerSec: number;
  steps: number;
}

export const LAB_BATCH = 32;
export const CASE_IDS = ['reference', 'lab4', 'lab8', 'lab16', 'lab32'] as const;
export type CaseId = (typeof CASE_IDS)[number];

/** The lab's default GAN at `res`: the ProGAN schedule at base width 64, every fade finished. */
export function labGenome(res: number): Genome {
  const space = { ...DEFAULT_SPACE, maxResolution: res };
  return proganActions(4, res, 64).reduce((g, a) => completeFade(applyAction(g, a, space)), createBaseGenome({ channels: 3 }));
}

/**
 * WGAN-GP step FLOPs, counting a backward pass as twice the forward: the D update runs G forward,
 * D forward+backward on real and fake, and the penalty's forward, input gradient and its backward
 * (≈ 9·F_D); the G update runs G and D forward+backward. Total ≈ 4·F_G + 18·F_D per image.
 */
export function labStepFlops(genome: Genome, batch: number): number {
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

export function makeCase(id: CaseId): BenchCase {
  return id === 'reference' ? referenceCase() : labCase(Number(id.slice(3)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Two warm-up steps, then the median of `steps` timed steps, on the active backend. */
export async function runCase(id: CaseId, steps: number, now: () => number = () => performance.now()): Promise<BenchRow> {
  const c = makeCase(id);
  try {
    for (let i = 0; i < 2; i++) await c.step();
    const ms: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = now();
      await c.step();
      ms.push(now() - t0);
    }
    const msPerStep = median(ms);
    return {
      id,
      backend: tf.getBackend(),
      case: c.name,
      batch: c.batch,
      msPerStep,
      imagesPerSec: (1000 * c.batch) / msPerStep,
      gflopPerSec: c.flops / msPerStep / 1e6,
      steps,
    };
  } finally {
    c.dispose();
  }
}

/** Per-kernel time of one step of `id` on the active backend, largest first. */
export async function profileCase(id: CaseId): Promise<{ name: string; ms: number; calls: number }[]> {
  const c = makeCase(id);
  try {
    await c.step();
    const info = await tf.profile(() => c.step());
    const byKernel = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += Number(k.kernelTimeMs) || 0;
      e.calls++;
      byKernel.set(k.name, e);
    }
    return [...byKernel].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
  } finally {
    c.dispose();
  }
}
