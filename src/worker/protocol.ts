/**
 * The typed API between the UI thread and the engine worker (exposed with comlink).
 *
 * Only plain, structured-cloneable data crosses this boundary: the UI never sees a
 * tensor. Training runs send their progress as `RunEvent`s through a comlink-proxied callback;
 * sample grids travel as transferred ArrayBuffers.
 */

import type { BackendName } from '../core/backend/names';
import type { CandidateRecord, SearchCheckpoint } from '../core/search/search';
import type { TrainerSnapshot } from '../core/trainer';
import type { StageRecord } from '../core/stage';

import type { BenchRow } from '../core/bench/cases';
import type { GrowthCheck } from '../core/bench/growthCheck';
import type { LayerSpec } from '../core/architecture';
import type { Genome } from '../core/genome';
import type { LossName } from '../core/loss';

export type { BenchRow } from '../core/bench/cases';
export type { GrowthCheck } from '../core/bench/growthCheck';
export { BACKEND_NAMES, isBackendName, type BackendName } from '../core/backend/names';

/** What the worker reports about the backend it started. */
export interface BackendInfo {
  /** The active tfjs backend. */
  backend: BackendName;
  /** Human-readable description of the device behind it (GPU adapter, renderer, wasm features). */
  adapter: string;
  /** True when a GPU backend runs on a software rasteriser/adapter (e.g. SwiftShader). */
  software: boolean;
  /** Compute threads used by the backend (wasm/XNNPACK threads; 1 for the others). */
  threads: number;
  /** One line per backend tried or skipped, in order, e.g. "webgpu: skipped (software adapter)". */
  attempts: string[];
}

export interface InitOptions {
  /**
   * Force one backend by name ('webgpu' | 'webgl' | 'wasm' | 'cpu'). When given, only that
   * backend is tried and init fails if it cannot start. Unset: the automatic ladder.
   */
  backend?: string;
}

export interface BenchOptions {
  /** Case ids of src/core/bench/cases.ts ('reference', 'lab4' … 'lab32'). */
  cases: string[];
  /** Timed steps per case (after 2 warm-up steps). */
  steps: number;
}

export interface EngineApi {
  /** Start (or return the already started) tfjs backend. Rejects with a readable message. */
  init(opts: InitOptions): Promise<BackendInfo>;
  /** Times training steps on the active backend (`npm run bench:browser`). */
  benchmark(opts: BenchOptions): Promise<BenchRow[]>;
  /**
   * Decodes image files (PNG, JPEG, GIF, WebP) into the 'upload' data set. Bad files get their own
   * message and are skipped; never rejects for a bad file.
   */
  setUpload(files: { name: string; bytes: ArrayBuffer }[]): Promise<UploadSummary>;
  /** Trains a tiny GAN through a few growths on the active backend (browser tests). */
  growthCheck(): Promise<GrowthCheck>;
  /** Liveness check: resolves to 'pong'. */
  ping(): Promise<'pong'>;
  /**
   * Start a training run (stopping any run in progress). Resolves once the run has started;
   * rejects with a readable message when the config is not valid. Progress arrives as events
   * through `onEvent` (pass it wrapped in `Comlink.proxy`), ending with a status event
   * 'done', 'stopped' or 'failed'.
   */
  startRun(config: RunConfig, onEvent: RunEventListener, resume?: LabCheckpoint): Promise<void>;
  /** Hold training before the next step. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** While paused: one step, or on to the end of the current stage, then paused again. */
  stepOnce(kind: StepKind): Promise<void>;
  /** End the run; resolves when its tensors are freed. */
  stopRun(): Promise<void>;
  /**
   * Test hooks: make the next training step's weights non-finite, fail the run as a lost GPU device
   * would, or crash the whole worker with an uncaught error.
   */
  debugFault(kind: 'non-finite' | 'device-lost' | 'crash'): Promise<void>;
}

/**
 * Where a run can continue from: written after every stage (and every minute inside long
 * progan/manual stages), saved by the page, and passed back to `startRun` to resume.
 * Weights travel as Float32Arrays (structured clone; IndexedDB stores them as they are).
 */
export type LabCheckpoint = {
  version: 1;
  /** Run images when it was taken. */
  images: number;
  /** The learning rate in force (lowered by each rollback). */
  lr: number;
} & (
  | {
      kind: 'schedule';
      /** The stage to continue with, and the images of it already trained (0: from its start). */
      nextStage: number;
      stageDone: number;
      trainer: TrainerSnapshot;
    }
  | {
      kind: 'search';
      /** Training stages finished (numbers the next one). */
      trainingStage: number;
      search: SearchCheckpoint;
    }
);

// --- training runs -------------------------------------------------------------------------------


export type { LayerSpec } from '../core/architecture';
export type { Genome } from '../core/genome';
export type { LossName } from '../core/loss';

// Types only below: the UI imports this file, and values here would pull tfjs into the page.
// Defaults, presets and validation live in labConfig.ts (pure TypeScript, no tfjs).

/** Data sets the lab trains on: procedural shapes, the sets `npm run data` builds, or the user's images. */
export type LabDataset = 'shapes' | 'mnist' | 'fashion-mnist' | 'emoji' | 'upload';

/** What became of an upload: how many files are usable, and one message per bad file. */
export interface UploadSummary {
  accepted: number;
  files: number;
  /** `file` is the display-safe file name ('' for the upload as a whole). */
  problems: { file: string; message: string }[];
  /** True when the set is usable (enough images): runs on 'upload' train on it. */
  ready: boolean;
  /** Side of the decoded images. */
  size: number;
}
export type LabResolution = 16 | 32;
/** progan: G and D grow in lockstep; manual: your list of actions; dggan: the search picks them. */
export type RunMode = 'progan' | 'manual' | 'dggan';

export interface RunConfig {
  dataset: LabDataset;
  /** Images generated for the procedural set. */
  datasetSize: number;
  /** Data resolution: growth stops there. */
  resolution: LabResolution;
  mode: RunMode;
  /** manual: comma-separated growth actions, e.g. "g:3x3x16,res:16,d:3x3x16". */
  actions: string;
  /** Thousands of real images per stage (each growth opens a stage and fades in over half of it). */
  kimgPerStage: number;
  batch: number;
  lr: number;
  loss: LossName;
  seed: number;
  /** Channels of the 4×4 blocks of G and D. */
  width: number;
  latent: number;
  /** dggan: thousands of images for the whole run, candidates included. */
  budgetKimg: number;
  /** dggan: thousands of images each candidate trains before it is scored. */
  candidateKimg: number;
  /** dggan: parents per growth stage (the best K models so far). */
  topK: number;
  /** dggan: probability that a legal action becomes a candidate (every kind of action is tried at least once a stage). */
  keepP: number;
  /** Real and generated images per metric evaluation after each stage. */
  evalSamples: number;
}

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';
/**
 * `half`: the next half of a step (the D update, or the G update after it); `step`: one D update
 * and one G update; `stage`: train on to the end of the current stage.
 */
export type StepKind = 'half' | 'step' | 'stage';

/** A sample grid as RGBA bytes (its buffer is transferred, not copied). */
export interface GridImage {
  width: number;
  height: number;
  /** width·height·4 bytes, RGBA. */
  pixels: ArrayBuffer;
  /** Images in the grid and their columns. */
  count: number;
  columns: number;
  /** The generator's own resolution (the grid is upscaled to the data resolution). */
  resolution: number;
}

export interface NetTotals {
  depth: number;
  params: number;
  flops: number;
}

/** The networks as they are now: genome, the layer table, totals. */
export interface ModelView {
  genome: Genome;
  layers: LayerSpec[];
  G: NetTotals;
  D: NetTotals;
  resolution: number;
  /** Which model this is (e.g. "main model", "candidate #4"). */
  label: string;
}

/** A finished stage as the engine records it, without the genome. */
export type StageSummary = Omit<StageRecord, 'genome'>;

export interface MetricsReport {
  stage: number;
  /** Run images when measured. */
  images: number;
  /** The model's resolution (fakes are upsampled to `compareResolution`). */
  modelResolution: number;
  compareResolution: number;
  n: number;
  /** SWD×1e3, average over pyramid levels, and per level (≥ 16 px only). */
  swd?: { avg: number; levels: { res: number; swd: number }[] };
  kid?: { mean: number; std: number; label: string };
  /** The feature network KID is computed on (e.g. "MNIST-LeNet"); null without one (uploads). */
  features: string | null;
  seconds: number;
}

/** A search candidate as the engine describes it when it is created, without the genome. */
export type CandidateInfo = Omit<CandidateRecord, 'genome' | 'score' | 'metric' | 'imagesUsed'>;

export type SearchUpdate =
  | { kind: 'stage-started'; stage: number; phase: 'train' | 'grow'; images: number }
  | { kind: 'candidate-created'; candidate: CandidateInfo; images: number }
  | { kind: 'candidate-scored'; id: number; score: number; metric: string; images: number }
  | { kind: 'stage-chosen'; stage: number; id: number; score: number; images: number };

export type RunEvent =
  | {
      type: 'run-started';
      config: RunConfig;
      dataset: { name: string; count: number; size: number; channels: number };
      /** Stages of a progan/manual run; null for dggan (the budget decides). */
      plannedStages: number | null;
      /** Images a run will see: planned stages × stage images, or the dggan budget. */
      plannedImages: number;
      reals: GridImage;
      model: ModelView;
    }
  | { type: 'status'; status: RunStatus; images: number; error?: string }
  /** What the worker is doing besides training steps, e.g. "measuring stage 2". Empty: training. */
  | { type: 'activity'; text: string }
  | {
      type: 'step';
      /** Run images so far (dggan: every candidate's images count). */
      images: number;
      stage: number;
      resolution: number;
      /** Mean over the steps since the last event. */
      dLoss: number;
      gLoss: number;
      penalty?: number;
      /** Fade weight of the newest growth at the last step (1: no fade in progress). */
      alpha: number;
      steps: number;
      imagesPerSecond: number;
      /** dggan: the model that trained, and how far its current training has come (0–1). */
      candidateId?: number;
      progress?: number;
    }
  | { type: 'model'; images: number; model: ModelView }
  /** A half step was taken while paused: the D update (G's comes next) or the G update that completed the step. */
  | { type: 'half-step'; half: 'D' | 'G'; loss: number; images: number }
  | {
      type: 'growth';
      stage: number;
      images: number;
      action: string;
      resolution: number;
      /** Why this action: the schedule, the plan, or the search's winning score. */
      reason: string;
    }
  | { type: 'stage-done'; stage: StageSummary }
  | { type: 'metrics'; metrics: MetricsReport }
  | { type: 'samples'; kind: 'live' | 'stage'; stage: number; images: number; grid: GridImage }
  /** A point to resume from (the page saves it). */
  | { type: 'checkpoint'; checkpoint: LabCheckpoint }
  /** Training diverged: the run went back to its last checkpoint (`images`) with a lower learning rate. */
  | { type: 'rollback'; images: number; lr: number; reason: string }
  /** A walk through latent space between two fixed latents (spherical interpolation), one row. */
  | { type: 'interpolation'; images: number; grid: GridImage }
  | { type: 'search'; update: SearchUpdate };

export type RunEventListener = (event: RunEvent) => void;
