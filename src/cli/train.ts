/**
 * `growlab train`: grows and trains a GAN stage by stage and writes the run to a folder:
 * run.json (config, backend, every stage's genome, losses over images seen, parameter counts),
 * samples-stage-<k>.png (a fixed-latent grid from the EMA generator), stages.png (one row of the
 * same latents per stage, to watch the images sharpen) and reals.png.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SPACE, parseActions, whyIllegal, applyAction, completeFade, type GrowthAction } from '../core/actions';
import type { ImageSet } from '../core/data/imageSet';
import { createBaseGenome, resolutionOf } from '../core/genome';
import { concatArrays, imagesToGrid, upscaleNearest } from '../core/grid';
import type { LossName } from '../core/loss';
import { proganActions } from '../core/progan';
import { evaluate, type MetricName, type StageMetrics } from '../core/evaluate';
import { loadFeatureNet } from '../core/metrics/featureNets';
import { Rng } from '../core/rng';
import { runStage, type LossPoint, type StageRecord } from '../core/stage';
import type { CandidateRecord } from '../core/search/search';
import { DEFAULT_TRAINER, Trainer, type TrainerConfig } from '../core/trainer';
import { trainSearch } from './search';
import { DATASET_NAMES, loadImageSet, nativeSize } from './datasets';
import { useNodeBackend, type BackendInfo, type NodeBackend } from './nodeBackend';
import { writePng } from './png';

export const MODES = ['manual', 'progan', 'dggan'] as const;
export type Mode = (typeof MODES)[number];
export const DATASETS = DATASET_NAMES;

export interface TrainOptions {
  dataset: (typeof DATASETS)[number];
  resolution: number;
  datasetSize: number;
  mode: Mode;
  actions?: string;
  kimgPerStage: number;
  fadeKimg?: number;
  batch: number;
  lr: number;
  loss: LossName;
  latent: number;
  width: number;
  /** Widest layer a growth may add (absent in runs written before it existed: 256). */
  maxWidth?: number;
  seed: number;
  backend: NodeBackend;
  out: string;
  samples: number;
  /** Metrics after every stage (empty: none). */
  metrics: MetricName[];
  /** Images per set for the metrics. */
  evalSamples: number;
  /** Random horizontal flips of the real images. */
  mirror: boolean;
  /** dggan: total images of the run, candidates included (thousands). */
  budgetKimg?: number;
  /** dggan: images each candidate trains before it is scored (thousands; default half a stage). */
  candidateKimg?: number;
  topK: number;
  keepP: number;
  /** dggan: candidates per growth stage at least (absent in runs written before it existed). */
  minCandidates?: number;
  /** dggan: keep enough budget to end at the data resolution (absent: true). */
  reachResolution?: boolean;
}

export interface RunFile {
  version: 1;
  status: 'running' | 'done' | 'failed';
  error?: string;
  command: string;
  startedAt: string;
  finishedAt?: string;
  wallSeconds?: number;
  config: TrainOptions;
  backend: BackendInfo;
  dataset: { name: string; count: number; size: number; channels: number; seed: number };
  stages: (StageRecord & { metrics?: StageMetrics })[];
  losses: LossPoint[];
  /** The final model measured at the data resolution (fakes upsampled): comparable across runs. */
  final?: StageMetrics;
  /** dggan: every candidate of every growth stage, and the model training ended on. */
  search?: { history: CandidateRecord[]; final: CandidateRecord; imagesUsed: number };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The training set at --resolution: shapes generated at that size, built sets average-pooled to it. */
export function loadDataset(o: TrainOptions): ImageSet {
  if (o.dataset === 'shapes') return loadImageSet('shapes', { resolution: o.resolution, seed: o.seed, size: o.datasetSize });
  const native = nativeSize(o.dataset)!;
  if (o.resolution > native)
    throw new UsageError(`--dataset ${o.dataset} has ${native}×${native} images, so --resolution can be at most ${native} (got ${o.resolution})`);
  return loadImageSet(o.dataset, { resolution: o.resolution });
}

/** The action space of a run: the data resolution and the widest layer it may grow. */
export const actionSpaceOf = (o: TrainOptions) => ({ ...DEFAULT_SPACE, maxResolution: o.resolution, maxWidth: o.maxWidth ?? DEFAULT_SPACE.maxWidth });

/** The growth actions of the whole run, checked against the genome before any training starts. */
export function planActions(o: TrainOptions): GrowthAction[] {
  const space = actionSpaceOf(o);
  let actions: GrowthAction[];
  if (o.mode === 'dggan') return [];
  if (o.mode === 'progan') {
    if (o.actions) throw new UsageError('--actions is only for --mode manual (progan follows its fixed schedule)');
    actions = proganActions(4, o.resolution, o.width, space.minWidth);
  } else {
    if (!o.actions) throw new UsageError('--mode manual needs --actions, e.g. --actions "g:3x3x32,res:32,d:5x5x16"');
    try {
      actions = parseActions(o.actions);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  // Dry-run the plan so a bad action fails now, not after an hour of training.
  let genome = createBaseGenome({ channels: 3, latent: o.latent, width: o.width });
  actions.forEach((a, i) => {
    const why = whyIllegal(genome, a, space);
    if (why) throw new UsageError(`action ${i + 1} of --actions (${o.actions?.split(',')[i]?.trim() ?? a.kind}) is illegal: ${why}`);
    genome = completeFade(applyAction(genome, a, space));
  });
  return actions;
}

/** One line: SWD avg, FID, KID and class coverage, each with what it was computed on. */
export function describeMetrics(m: StageMetrics): string {
  const parts: string[] = [];
  if (m.swd) parts.push(`SWD×1e3 ${m.swd.avg.toFixed(1)} (${m.swd.levels.map((l) => `${l.res}px ${l.swd.toFixed(1)}`).join(', ')})`);
  if (m.fid) parts.push(`${m.fid.label.split(' (')[0]} ${m.fid.value.toFixed(2)}`);
  if (m.kid) parts.push(`KID ${m.kid.mean.toFixed(4)} ± ${m.kid.std.toFixed(4)}`);
  if (m.coverage) parts.push(`classes ${m.coverage.classesFound}/${m.coverage.classes}, confidence ${m.coverage.meanConfidence.toFixed(2)}`);
  const on = m.fid?.label.match(/\((.*)\)/)?.[1] ?? `N = ${m.n}, ${m.resolution}×${m.resolution}`;
  return `${parts.join(' · ')} [${on}; ${m.seconds.toFixed(1)} s]`;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  // Write then rename, so a crash never leaves a half-written run.json.
  await writeFile(`${path}.tmp`, JSON.stringify(value, null, 1));
  await rename(`${path}.tmp`, path);
}

export async function writeGrid(path: string, images: tf.Tensor4D, upscaleTo: number): Promise<void> {
  const [n, size, , channels] = images.shape;
  const values = (await images.data()) as Float32Array;
  await writePng(path, imagesToGrid(values, n, size, channels, undefined, Math.max(1, Math.round(upscaleTo / size))));
}

/** A run that has just started: what it trains on, with what, and (so far) no stages. */
export function newRunFile(o: TrainOptions, command: string, backend: BackendInfo, data: ImageSet): RunFile {
  return {
    version: 1,
    status: 'running',
    command,
    startedAt: new Date().toISOString(),
    config: o,
    backend,
    dataset: { name: data.name, count: data.count, size: data.size, channels: data.channels, seed: o.seed },
    stages: [],
    losses: [],
  };
}

/** Marks the run failed with the error's message, and rethrows it. */
export function failRun(run: RunFile, e: unknown): never {
  run.status = 'failed';
  run.error = (e as Error).message;
  throw e;
}

/** Stamps the end time and wall time, and writes run.json (whether the run finished or failed). */
export async function closeRun(run: RunFile, path: string): Promise<void> {
  run.finishedAt = new Date().toISOString();
  run.wallSeconds = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  await writeJson(path, run);
}

export function trainerConfig(o: TrainOptions): TrainerConfig {
  return {
    ...DEFAULT_TRAINER,
    loss: o.loss,
    adam: { ...DEFAULT_TRAINER.adam, lr: o.lr },
    fadeImages: Math.round((o.fadeKimg ?? o.kimgPerStage / 2) * 1000),
    space: actionSpaceOf(o),
  };
}

export async function train(o: TrainOptions, command: string, log: (line: string) => void): Promise<RunFile> {
  if (o.mode === 'dggan') return trainSearch(o, command, log);
  const actions = planActions(o);
  const backend = await useNodeBackend(o.backend);
  const data = loadDataset(o);
  await mkdir(o.out, { recursive: true });
  const rng = new Rng(o.seed);
  const stageImages = Math.round(o.kimgPerStage * 1000);
  const config = trainerConfig(o);
  const trainer = new Trainer(createBaseGenome({ channels: data.channels, latent: o.latent, width: o.width }), config, rng);
  const wantsFeatures = o.metrics.includes('fid') || o.metrics.includes('kid');
  const net = wantsFeatures ? await loadFeatureNet(data.name) : null;
  const fixedZ = trainer.latents(o.samples, new Rng(o.seed + 1_000_003));
  const run = newRunFile(o, command, backend, data);
  const runPath = join(o.out, 'run.json');
  const STRIP = Math.min(8, o.samples);
  const strip: Float32Array[] = [];
  const reals = tf.tidy(() => tf.tensor4d(data.pixels.slice(0, o.samples * data.size * data.size * data.channels), [Math.min(o.samples, data.count), data.size, data.size, data.channels], 'float32').div(127.5).sub(1) as tf.Tensor4D);
  await writeGrid(join(o.out, 'reals.png'), reals, data.size);
  reals.dispose();
  log(`GrowLab: ${o.mode} run, ${actions.length + 1} stages × ${o.kimgPerStage} kimg on ${data.name} ${data.size}×${data.size} (${data.count} images), backend ${backend.backend}, seed ${o.seed}`);
  try {
    const plans = [null, ...actions].map((action, index) => ({ index, action, images: stageImages, batch: o.batch, mirror: o.mirror }));
    for (const plan of plans) {
      let lastLog = performance.now();
      const stageStart = trainer.imagesSeen;
      let lastImages = stageStart;
      const record = await runStage(trainer, data, plan, rng, (p) => {
        run.losses.push(p);
        if (!Number.isFinite(p.dLoss) || !Number.isFinite(p.gLoss))
          throw new Error(`training diverged at ${p.imagesSeen} images (D loss ${p.dLoss}, G loss ${p.gLoss}); try a lower --lr`);
        const t = performance.now();
        if (t - lastLog > 5000) {
          const ips = ((p.imagesSeen - lastImages) * 1000) / (t - lastLog);
          log(`  stage ${plan.index} ${resolutionOf(trainer.genome)}px  img ${p.imagesSeen - stageStart}/${stageImages}  α ${p.alpha.toFixed(2)}  D ${p.dLoss.toFixed(3)}  G ${p.gLoss.toFixed(3)}  ${ips.toFixed(0)} img/s`);
          lastLog = t;
          lastImages = p.imagesSeen;
        }
      });
      const stage: RunFile['stages'][number] = { ...record };
      if (o.metrics.length > 0) stage.metrics = await evaluate(trainer, data, net, { metrics: o.metrics, n: o.evalSamples, seed: o.seed + 7, resolution: data.size });
      run.stages.push(stage);
      const samples = trainer.sample(fixedZ);
      await writeGrid(join(o.out, `samples-stage-${plan.index}.png`), samples, data.size);
      const res = samples.shape[1];
      const row = (await samples.data()).slice(0, STRIP * res * res * data.channels) as Float32Array;
      strip.push(upscaleNearest(row, STRIP, res, data.channels, data.size / res));
      samples.dispose();
      await writePng(join(o.out, 'stages.png'), imagesToGrid(concatArrays(strip, (n) => new Float32Array(n)), strip.length * STRIP, data.size, data.channels, STRIP, 2));
      await writeJson(runPath, run);
      const last = run.losses[run.losses.length - 1]!;
      log(`stage ${plan.index} ${record.action ?? 'base'} → ${record.resolution}px, G ${record.depth.G} convs/${record.params.G} params, D ${record.depth.D} convs/${record.params.D} params, D loss ${last.dLoss.toFixed(3)}, ${(record.wallMs / 1000).toFixed(1)} s`);
      if (stage.metrics) log(`  ${describeMetrics(stage.metrics)}`);
    }
    // The last stage was measured at the data resolution already: that is the final measurement.
    const final = run.stages.at(-1)?.metrics;
    if (final) run.final = final;
    run.status = 'done';
  } catch (e) {
    failRun(run, e);
  } finally {
    await closeRun(run, runPath);
    fixedZ.dispose();
    trainer.dispose();
    net?.dispose();
  }
  log(`wrote ${runPath} and ${run.stages.length} sample grids to ${o.out}`);
  return run;
}
