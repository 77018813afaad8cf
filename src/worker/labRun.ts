/**
 * One training run of the lab, inside the engine worker: progan, manual or dggan on a procedural
 * data set, reporting plain-data events (see protocol.ts) and obeying pause, resume, step and stop.
 *
 * Control works at step boundaries: every Trainer of the run has its `step` wrapped so that, before
 * each step, the run yields to the event loop (so comlink can deliver pause/stop messages) and
 * waits while paused. This also reaches inside `runStage` and `runSearch`, which the run uses as
 * they are, so a run here trains exactly like `growlab train` with the same seed and backend.
 */
import * as tf from '@tensorflow/tfjs';
import { formatAction, type GrowthAction } from '../core/actions';
import { describeLayers, summarize } from '../core/architecture';
import type { ImageSet } from '../core/data/imageSet';
import { evaluate } from '../core/evaluate';
import { resolutionOf, type Genome } from '../core/genome';
import { imagesToGrid, upscaleNearest } from '../core/grid';
import type { FeatureNet } from '../core/metrics/featureNet';
import { Rng } from '../core/rng';
import { slerpLatents } from '../core/slerp';
import { searchScorer } from '../core/search/score';
import { DEFAULT_SEARCH, runSearch, type SearchEvent } from '../core/search/search';
import { runStage, type LossPoint } from '../core/stage';
import { DEFAULT_TRAINER, Trainer, type HalfStep, type StepStats, type TrainerConfig } from '../core/trainer';
import { searchWithLearningRate, withLearningRate } from './checkpoints';
import { actionSpace, baseGenome, configProblem, formatScore, planActions } from './labConfig';
import type { GridImage, LabCheckpoint, MetricsReport, ModelView, RunConfig, RunEvent, RunStatus, StepKind } from './protocol';

/** Emits an event; `transfer` lists buffers to move rather than copy. */
export type Emit = (event: RunEvent, transfer?: Transferable[]) => void;

export interface LabRunOptions {
  /** The data set's feature network (KID, and the search's score below 16 px); null when it has none. */
  featureNet: () => Promise<FeatureNet | null>;
  /** The images of the run's data set at its resolution. */
  loadData: (c: RunConfig) => Promise<ImageSet>;
  /** Continue from this checkpoint instead of starting afresh. */
  resume?: LabCheckpoint;
  now?: () => number;
  /** Minimum time between step events (ms). */
  stepEventMs?: number;
  /** Time between live sample grids while training (ms). */
  liveGridMs?: number;
}

/** Non-finite losses: the run rolls back to its last checkpoint with a lower learning rate. */
class DivergedError extends Error {
  override name = 'DivergedError';
}

/** Rollbacks a run may take before it gives up and reports the divergence. */
const MAX_ROLLBACKS = 3;
/** Inside long progan/manual stages, a checkpoint at least this often (ms). */
const CHECKPOINT_EVERY_MS = 60_000;

/** Thrown inside a step when the run is stopped; never reported as a failure. */
class StopSignal extends Error {
  override name = 'StopSignal';
}

/** 6×6 samples: few enough to read each one on a projector. */
const GRID_SAMPLES = 36;
const GRID_COLUMNS = 6;
/** Where the fixed latents of the sample grids come from (the CLI uses the same offset). */
const GRID_SEED_OFFSET = 1_000_003;
const METRICS_SEED_OFFSET = 7;
const SEARCH_SEED_OFFSET = 11;
const INTERP_SEED_OFFSET = 2_000_003;
const INTERP_STEPS = 9;

/** A macrotask boundary: lets the worker handle incoming messages between two steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function modelView(trainer: Trainer, label: string): ModelView {
  const s = summarize(trainer.genome);
  return { genome: trainer.genome, layers: describeLayers(trainer.genome), G: s.G, D: s.D, resolution: s.resolution, label };
}

/** A grid of images in [−1, 1], upscaled to `toSize`, as transferable RGBA bytes. */
export function gridImage(values: Float32Array, count: number, size: number, channels: number, toSize: number, columns = GRID_COLUMNS): GridImage {
  const factor = Math.max(1, Math.round(toSize / size));
  const big = upscaleNearest(values, count, size, channels, factor);
  const g = imagesToGrid(big, count, size * factor, channels, columns);
  // imagesToGrid allocates a fresh array, so its whole buffer can be transferred.
  return { width: g.width, height: g.height, pixels: g.data.buffer as ArrayBuffer, count, columns, resolution: size };
}


export class LabRun {
  readonly config: RunConfig;
  private readonly emit: Emit;
  private readonly options: Required<Omit<LabRunOptions, 'featureNet' | 'loadData' | 'resume'>> & Pick<LabRunOptions, 'featureNet' | 'loadData' | 'resume'>;
  private status: RunStatus = 'starting';
  private paused = false;
  private stopRequested = false;
  private stepsAllowed = 0;
  private halvesAllowed = 0;
  private pauseAtStageEnd = false;
  private wake: (() => void) | null = null;
  private finished: Promise<void> | null = null;

  // Progress.
  private images = 0;
  private stage = 0;
  private data: ImageSet | null = null;
  private fixedZ: tf.Tensor2D | null = null;
  private readonly trainers = new Set<Trainer>();
  private shown: { trainer: Trainer; genome: Genome } | null = null;
  private activeLabel = 'main model';
  private candidateId: number | undefined;
  private candidateStart = 0;
  private candidateImages = 0;

  // Step-event throttling and speed.
  private window = { steps: 0, d: 0, g: 0, penalty: 0, penalties: 0 };
  private last: { alpha: number; resolution: number } = { alpha: 1, resolution: 4 };
  private lastStepEvent = 0;
  private lastLiveGrid = 0;
  private liveDue = false;
  private speed: { t: number; images: number }[] = [];

  // Checkpoints and faults.
  private lastGood: LabCheckpoint | null = null;
  private lastCheckpointAt = 0;
  /** progan/manual: the stage in progress, for checkpoints inside it. */
  private inStage: { index: number; startImages: number; lr: number } | null = null;
  private fault: 'non-finite' | 'device-lost' | null = null;

  constructor(config: RunConfig, emit: Emit, options: LabRunOptions) {
    this.config = { ...config };
    this.emit = emit;
    this.options = { now: () => performance.now(), stepEventMs: 100, liveGridMs: 3000, ...options };
  }

  /** Validates the config (throws with a readable message) and starts training in the background. */
  start(): void {
    const problem = configProblem(this.config);
    if (problem) throw new Error(problem);
    this.finished = this.run();
  }

  /** Resolves when the run has ended (done, stopped or failed) and freed its tensors. */
  get done(): Promise<void> {
    return this.finished ?? Promise.resolve();
  }

  get runStatus(): RunStatus {
    return this.status;
  }

  pause(): void {
    if (this.status !== 'running') return;
    this.paused = true;
    this.pauseAtStageEnd = false;
    this.setStatus('paused');
  }

  resume(): void {
    if (this.status !== 'paused') return;
    this.paused = false;
    this.stepsAllowed = 0;
    this.halvesAllowed = 0;
    this.speed = [];
    this.setStatus('running');
    this.wakeUp();
  }

  stepOnce(kind: StepKind): void {
    if (this.status !== 'paused') return;
    if (kind === 'step') this.stepsAllowed = 1;
    else if (kind === 'half') this.halvesAllowed = 1;
    else {
      this.paused = false;
      this.pauseAtStageEnd = true;
      this.speed = [];
      this.setStatus('running');
    }
    this.wakeUp();
  }

  /** Test hook: the next step sees non-finite weights, or fails as a lost GPU device does. */
  injectFault(kind: 'non-finite' | 'device-lost'): void {
    this.fault = kind;
  }

  private applyFault(t: Trainer): void {
    const kind = this.fault;
    this.fault = null;
    if (kind === 'device-lost') throw new Error('the GPU device was lost (simulated by a test hook)');
    const [, weight] = t.params.entries().next().value as [string, tf.Variable];
    weight.assign(tf.fill(weight.shape, Number.NaN));
  }

  stop(): Promise<void> {
    if (this.status === 'done' || this.status === 'stopped' || this.status === 'failed') return this.done;
    this.stopRequested = true;
    this.wakeUp();
    return this.done;
  }

  // --- the run ---------------------------------------------------------------------------------

  private async run(): Promise<void> {
    const c = this.config;
    try {
      await yieldToEventLoop();
      this.lastCheckpointAt = this.options.now();
      this.activity(`loading ${c.dataset}…`);
      const data = await this.options.loadData(c);
      this.activity('');
      this.data = data;
      this.fixedZ = tf.tidy(() => tf.tensor2d(new Rng(c.seed + GRID_SEED_OFFSET).normals(GRID_SAMPLES * c.latent), [GRID_SAMPLES, c.latent]));
      const stageImages = Math.round(c.kimgPerStage * 1000);
      const actions = planActions(c);
      let from = this.options.resume ?? null;
      let lr = from?.lr ?? c.lr;
      this.lastGood = from;
      for (let rollbacks = 0; ; rollbacks++) {
        try {
          const reals = this.realsGrid(data);
          if (from && from.kind !== (c.mode === 'dggan' ? 'search' : 'schedule')) throw new Error(`this checkpoint belongs to a ${from.kind === 'search' ? 'dynamic' : 'ProGAN or manual'} run, not a ${c.mode} run`);
          if (c.mode === 'dggan') await this.runDggan(data, new Rng(c.seed), reals, from?.kind === 'search' ? from : null, lr);
          else await this.runSchedule(data, new Rng(c.seed), actions, stageImages, reals, from?.kind === 'schedule' ? from : null, lr);
          break;
        } catch (e) {
          if (!(e instanceof DivergedError) || rollbacks >= MAX_ROLLBACKS) throw e;
          // Non-finite losses: back to the last checkpoint with half the learning rate.
          this.flushStep();
          for (const t of [...this.trainers]) t.dispose();
          this.shown = null;
          from = this.lastGood;
          lr /= 2;
          this.images = from?.images ?? 0;
          const where = from ? `its checkpoint at ${from.images.toLocaleString('en-US')} images` : 'the start';
          this.emit({ type: 'rollback', images: this.images, lr, reason: `${e.message}; back to ${where}, learning rate halved to ${lr.toPrecision(3)}` });
        }
      }
      this.flushStep();
      this.setStatus('done');
    } catch (e) {
      this.flushStep();
      if (e instanceof StopSignal || this.stopRequested) this.setStatus('stopped');
      else this.setStatus('failed', e instanceof Error ? e.message : String(e));
    } finally {
      for (const t of this.trainers) t.dispose();
      this.trainers.clear();
      this.fixedZ?.dispose();
      this.fixedZ = null;
      this.data = null;
      this.activity('');
    }
  }

  /** progan and manual: stage 0 trains the base networks, each later stage opens with one growth. */
  private async runSchedule(
    data: ImageSet,
    rng: Rng,
    actions: GrowthAction[],
    stageImages: number,
    reals: GridImage,
    from: Extract<LabCheckpoint, { kind: 'schedule' }> | null,
    lr: number,
  ): Promise<void> {
    const c = this.config;
    const trainer = this.track(from ? Trainer.restore(withLearningRate(from.trainer, lr)) : new Trainer(baseGenome(c), this.trainerConfig(stageImages / 2, lr), rng));
    this.images = trainer.imagesSeen;
    this.started(trainer, actions.length + 1, stageImages * (actions.length + 1), reals);
    const plans = [null, ...actions].map((action, index) => ({ index, action, images: stageImages, batch: c.batch }));
    for (const plan of plans.slice(from?.nextStage ?? 0)) {
      this.stage = plan.index;
      // Resuming inside a stage: its growth is already in the weights, and part of it is trained.
      const done = from && plan.index === from.nextStage ? from.stageDone : 0;
      if (plan.action && done === 0) {
        // runStage would grow too; growing here first lets the page see the new layers at once.
        trainer.grow(plan.action);
        const reason =
          c.mode === 'progan'
            ? 'ProGAN schedule: G and D grow together'
            : `your plan, action ${plan.index} of ${actions.length}`;
        this.emit({ type: 'growth', stage: plan.index, images: this.images, action: formatAction(plan.action), resolution: resolutionOf(trainer.genome), reason });
        this.showModel(trainer);
      }
      this.inStage = { index: plan.index, startImages: trainer.imagesSeen - done, lr };
      const record = await runStage(trainer, data, { ...plan, action: null, images: plan.images - done }, trainer.rng, (p) => this.afterStep(trainer, p, trainer.imagesSeen));
      this.inStage = null;
      this.flushStep();
      this.emit({
        type: 'stage-done',
        stage: {
          index: record.index,
          action: plan.action ? formatAction(plan.action) : null,
          resolution: record.resolution,
          imagesStart: record.imagesStart - done,
          imagesEnd: record.imagesEnd,
          wallMs: record.wallMs,
          params: record.params,
          depth: record.depth,
        },
      });
      await this.measure(trainer, plan.index);
      await this.checkpointSchedule(trainer, plan.index + 1, 0, lr);
      this.stageBoundary();
    }
  }

  private async checkpointSchedule(trainer: Trainer, nextStage: number, stageDone: number, lr: number): Promise<void> {
    this.saveCheckpoint({ version: 1, kind: 'schedule', images: trainer.imagesSeen, lr, nextStage, stageDone, trainer: await trainer.snapshot() });
  }

  /** Keeps a checkpoint for rollbacks and hands a copy to the page to save. */
  private saveCheckpoint(checkpoint: LabCheckpoint): void {
    this.lastGood = checkpoint;
    this.lastCheckpointAt = this.options.now();
    this.emit({ type: 'checkpoint', checkpoint });
  }

  private async runDggan(data: ImageSet, rng: Rng, reals: GridImage, from: Extract<LabCheckpoint, { kind: 'search' }> | null, lr: number): Promise<void> {
    const c = this.config;
    const candidateImages = Math.round(c.candidateKimg * 1000);
    // Candidates are scored after their fade-in has finished (over half their images), as the CLI does.
    const start = from ? searchWithLearningRate(from.search, lr) : this.track(new Trainer(baseGenome(c), this.trainerConfig(candidateImages / 2, lr), rng.fork()));
    const budget = Math.round(c.budgetKimg * 1000);
    this.images = from?.images ?? 0;
    // runSearch restores the models that have weights in history order; the current one is shown.
    const restoredIds = (from?.search.history ?? []).filter((r) => from!.search.trainers[r.id]).map((r) => r.id);
    const net = await this.options.featureNet();
    const cfg = {
      ...DEFAULT_SEARCH,
      topK: c.topK,
      keepProbability: c.keepP,
      stageImages: Math.round(c.kimgPerStage * 1000),
      candidateImages,
      budgetImages: budget,
      batch: c.batch,
    };
    const created = new Map<number, { action: string | null; stage: number; resolution: number }>();
    const scores = new Map<number, { score: number; metric: string }>();
    const perStage = new Map<number, number>();
    for (const h of from?.search.history ?? []) {
      created.set(h.id, { action: h.action, stage: h.stage, resolution: h.resolution });
      scores.set(h.id, { score: h.score, metric: h.metric });
      perStage.set(h.stage, (perStage.get(h.stage) ?? 0) + 1);
    }
    let trainingStage = from?.trainingStage ?? 0;
    let stageStart = this.images;
    let stageT0 = this.options.now();
    const score = searchScorer(data, net, { n: c.evalSamples, seed: c.seed + SEARCH_SEED_OFFSET });
    if (start instanceof Trainer) this.started(start, null, budget, reals);
    let restored = 0;
    const result = await runSearch(start, data, score, cfg, rng, {
      onRestore: (t) => {
        this.track(t);
        const id = restoredIds[restored++];
        if (id === from?.search.currentId) {
          this.activeLabel = `model #${id}`;
          this.started(t, null, budget, reals);
        }
      },
      onCheckpoint: async (cp) => {
        this.saveCheckpoint({ version: 1, kind: 'search', images: cp.used, lr, trainingStage, search: cp });
      },
      onEvent: (e: SearchEvent) => {
        switch (e.type) {
          case 'step':
            if (this.candidateId !== e.candidateId) {
              this.candidateId = e.candidateId;
              this.candidateStart = e.imagesUsed - c.batch;
            }
            this.afterStep(null, e.point, e.imagesUsed);
            return;
          case 'stage-started':
            this.candidateId = undefined;
            this.candidateImages = e.kind === 'train' ? Math.min(cfg.stageImages, budget - e.imagesUsed) : candidateImages;
            this.activity(e.kind === 'grow' ? `growth stage ${e.stage}: training and scoring candidates` : '');
            this.emit({ type: 'search', update: { kind: 'stage-started', stage: e.stage, phase: e.kind, images: e.imagesUsed } });
            return;
          case 'candidate-created': {
            const k = e.candidate;
            created.set(k.id, { action: k.action, stage: k.stage, resolution: k.resolution });
            perStage.set(k.stage, (perStage.get(k.stage) ?? 0) + 1);
            this.activeLabel = k.parentId === null ? 'main model' : `candidate #${k.id} (${k.action})`;
            this.emit({
              type: 'search',
              update: {
                kind: 'candidate-created',
                candidate: { id: k.id, parentId: k.parentId, stage: k.stage, action: k.action, resolution: k.resolution, params: k.params, depth: k.depth },
                images: this.images,
              },
            });
            return;
          }
          case 'candidate-scored':
            scores.set(e.id, { score: e.score, metric: e.metric });
            this.emit({ type: 'search', update: { kind: 'candidate-scored', id: e.id, score: e.score, metric: e.metric, images: e.imagesUsed } });
            return;
          case 'stage-chosen': {
            this.emit({ type: 'search', update: { kind: 'stage-chosen', stage: e.stage, id: e.id, score: e.score, images: e.imagesUsed } });
            const chosen = created.get(e.id);
            this.activeLabel = `model #${e.id}`;
            this.shown = null; // the chosen model is shown (with its new label) at its next step
            if (e.stage > 0 && chosen?.action) {
              const s = scores.get(e.id);
              const what = s ? formatScore(s.metric, s.score) : `score ${e.score.toPrecision(4)}`;
              const n = perStage.get(e.stage) ?? 0;
              this.emit({
                type: 'growth',
                stage: e.stage,
                images: e.imagesUsed,
                action: chosen.action,
                resolution: chosen.resolution,
                reason: `search: best of ${n} candidate${n === 1 ? '' : 's'}, ${what}`,
              });
            }
            return;
          }
        }
      },
      beforeCandidate: (child) => {
        this.track(child);
      },
      afterTraining: async (t, record) => {
        this.flushStep();
        const index = trainingStage++;
        this.stage = index;
        const imagesStart = stageStart;
        const wallMs = this.options.now() - stageT0;
        stageStart = this.images;
        stageT0 = this.options.now();
        this.emit({
          type: 'stage-done',
          stage: {
            index,
            action: record.action,
            resolution: record.resolution,
            imagesStart,
            imagesEnd: this.images,
            wallMs,
            params: record.params,
            depth: record.depth,
          },
        });
        await this.measure(t, index, net);
        this.stageBoundary();
      },
    });
    // The search disposed every other model; the final one is ours to free (in `run`).
    this.track(result.trainer);
  }

  // --- steps -----------------------------------------------------------------------------------

  private track(t: Trainer): Trainer {
    if (this.trainers.has(t)) return t;
    this.trainers.add(t);
    const step = t.step.bind(t);
    const dispose = t.dispose.bind(t);
    t.step = async (batch: tf.Tensor4D): Promise<StepStats> => {
      // While paused, a step can be taken in halves: the D update, then (on the next request, or
      // on resume) the G update. Together they compute exactly what `step` computes.
      let half: HalfStep | null = null;
      for (;;) {
        const turn = await this.beforeStep(t);
        if (turn === 'full') return half ? t.stepG(half) : step(batch);
        if (!half) {
          half = await t.stepD(batch);
          this.emit({ type: 'half-step', half: 'D', loss: half.dLoss, images: this.images });
          continue;
        }
        const stats = await t.stepG(half);
        this.emit({ type: 'half-step', half: 'G', loss: stats.gLoss, images: this.images + batch.shape[0] });
        return stats;
      }
    };
    t.dispose = () => {
      if (!this.trainers.delete(t)) return;
      dispose();
    };
    return t;
  }

  /** Waits for the turn of the next step (or half step) of `t`: yields, obeys pause and stop. */
  private async beforeStep(t: Trainer): Promise<'full' | 'half'> {
    await yieldToEventLoop();
    let turn: 'full' | 'half' = 'full';
    for (;;) {
      if (this.stopRequested) throw new StopSignal('stopped');
      if (!this.paused) break;
      if (this.stepsAllowed > 0) {
        this.stepsAllowed--;
        break;
      }
      if (this.halvesAllowed > 0) {
        this.halvesAllowed--;
        turn = 'half';
        break;
      }
      this.flushStep();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.fault) this.applyFault(t);
    const inStage = this.inStage;
    if (inStage && turn === 'full' && this.options.now() - this.lastCheckpointAt >= CHECKPOINT_EVERY_MS)
      await this.checkpointSchedule(t, inStage.index, t.imagesSeen - inStage.startImages, inStage.lr);
    if (this.shown?.trainer !== t || this.shown.genome !== t.genome) this.showModel(t);
    if (this.liveDue) {
      this.liveDue = false;
      await this.sendGrid(t, 'live');
    }
    return turn;
  }

  private afterStep(trainer: Trainer | null, p: LossPoint, images: number): void {
    if (!Number.isFinite(p.dLoss) || !Number.isFinite(p.gLoss))
      throw new DivergedError(`training diverged at ${images.toLocaleString('en-US')} images (D loss ${p.dLoss}, G loss ${p.gLoss})`);
    this.images = images;
    const w = this.window;
    w.steps++;
    w.d += p.dLoss;
    w.g += p.gLoss;
    if (p.penalty !== undefined) {
      w.penalty += p.penalty;
      w.penalties++;
    }
    this.last = { alpha: p.alpha, resolution: (trainer ?? this.shown?.trainer)?.resolution ?? this.last.resolution };
    const now = this.options.now();
    this.speed.push({ t: now, images });
    while (this.speed.length > 2 && now - this.speed[0]!.t > 3000) this.speed.shift();
    if (now - this.lastStepEvent >= this.options.stepEventMs) this.flushStep();
    if (now - this.lastLiveGrid >= this.options.liveGridMs) {
      this.lastLiveGrid = now;
      this.liveDue = true;
    }
  }

  private flushStep(): void {
    const w = this.window;
    if (w.steps === 0) return;
    const first = this.speed[0];
    const lastSpeed = this.speed[this.speed.length - 1];
    const seconds = first && lastSpeed ? (lastSpeed.t - first.t) / 1000 : 0;
    const ips = seconds > 0.2 ? (lastSpeed!.images - first!.images) / seconds : 0;
    const event: Extract<RunEvent, { type: 'step' }> = {
      type: 'step',
      images: this.images,
      stage: this.stage,
      resolution: this.last.resolution,
      dLoss: w.d / w.steps,
      gLoss: w.g / w.steps,
      alpha: this.last.alpha,
      steps: w.steps,
      imagesPerSecond: ips,
    };
    if (w.penalties > 0) event.penalty = w.penalty / w.penalties;
    if (this.config.mode === 'dggan' && this.candidateId !== undefined) {
      event.candidateId = this.candidateId;
      event.progress = this.candidateImages > 0 ? Math.min(1, (this.images - this.candidateStart) / this.candidateImages) : 0;
    }
    this.window = { steps: 0, d: 0, g: 0, penalty: 0, penalties: 0 };
    this.lastStepEvent = this.options.now();
    this.emit(event);
  }

  /** Pause here if "step one stage" was asked for. */
  private stageBoundary(): void {
    if (!this.pauseAtStageEnd) return;
    this.pauseAtStageEnd = false;
    this.paused = true;
    this.setStatus('paused');
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  // --- reports ---------------------------------------------------------------------------------

  private setStatus(status: RunStatus, error?: string): void {
    this.status = status;
    this.emit(error === undefined ? { type: 'status', status, images: this.images } : { type: 'status', status, images: this.images, error });
  }

  private activity(text: string): void {
    this.emit({ type: 'activity', text });
  }

  private started(trainer: Trainer, plannedStages: number | null, plannedImages: number, reals: GridImage): void {
    const d = this.data!;
    this.shown = { trainer, genome: trainer.genome };
    this.last.resolution = trainer.resolution;
    this.emit(
      {
        type: 'run-started',
        config: this.config,
        dataset: { name: d.name, count: d.count, size: d.size, channels: d.channels },
        plannedStages,
        plannedImages,
        reals,
        model: modelView(trainer, this.activeLabel),
      },
      [reals.pixels],
    );
    this.setStatus('running');
  }

  private showModel(t: Trainer): void {
    // Fresh live samples for a new or grown model before its next step (not when a fade merely ends).
    const prev = this.shown;
    if (prev && (prev.trainer !== t || t.genome.fade !== null)) this.liveDue = true;
    this.shown = { trainer: t, genome: t.genome };
    this.emit({ type: 'model', images: this.images, model: modelView(t, this.activeLabel) });
  }

  private trainerConfig(fadeImages: number, lr: number): TrainerConfig {
    const c = this.config;
    return { ...DEFAULT_TRAINER, loss: c.loss, adam: { ...DEFAULT_TRAINER.adam, lr }, fadeImages: Math.round(fadeImages), space: actionSpace(c) };
  }

  private realsGrid(data: ImageSet): GridImage {
    const n = Math.min(GRID_SAMPLES, data.count);
    const per = data.size * data.size * data.channels;
    const values = new Float32Array(n * per);
    for (let i = 0; i < values.length; i++) values[i] = data.pixels[i]! / 127.5 - 1;
    return gridImage(values, n, data.size, data.channels, data.size);
  }

  private async sendGrid(t: Trainer, kind: 'live' | 'stage'): Promise<void> {
    const images = tf.tidy(() => t.sample(this.fixedZ!));
    const values = (await images.data()) as Float32Array;
    const [n, size, , channels] = images.shape;
    images.dispose();
    const grid = gridImage(values, n, size, channels, this.config.resolution);
    this.emit({ type: 'samples', kind, stage: this.stage, images: this.images, grid }, [grid.pixels]);
    await this.sendInterpolation(t);
  }

  /** One row of the current G's images along a great circle between two fixed latents. */
  private async sendInterpolation(t: Trainer): Promise<void> {
    const c = this.config;
    const rng = new Rng(c.seed + INTERP_SEED_OFFSET);
    const z = slerpLatents(rng.normals(c.latent), rng.normals(c.latent), INTERP_STEPS);
    const images = tf.tidy(() => t.sample(tf.tensor2d(z, [INTERP_STEPS, c.latent])));
    const values = (await images.data()) as Float32Array;
    const [n, size, , channels] = images.shape;
    images.dispose();
    const grid = gridImage(values, n, size, channels, c.resolution, INTERP_STEPS);
    this.emit({ type: 'interpolation', images: this.images, grid }, [grid.pixels]);
  }

  /** After a stage: a stage grid for the gallery, then SWD and KID at the data resolution. */
  private async measure(t: Trainer, stage: number, knownNet?: FeatureNet | null): Promise<void> {
    await this.sendGrid(t, 'stage');
    this.lastLiveGrid = this.options.now();
    const c = this.config;
    const net = knownNet === undefined ? await this.options.featureNet() : knownNet;
    this.activity(`measuring stage ${stage}: ${net ? 'SWD and KID' : 'SWD'} on ${c.evalSamples} images…`);
    const m = await evaluate(t, this.data!, net, { metrics: net ? ['swd', 'kid'] : ['swd'], n: c.evalSamples, seed: c.seed + METRICS_SEED_OFFSET, resolution: c.resolution });
    const report: MetricsReport = {
      stage,
      images: this.images,
      modelResolution: t.resolution,
      compareResolution: m.resolution,
      n: m.n,
      features: net?.spec.label ?? null,
      seconds: m.seconds,
    };
    if (m.swd) report.swd = { avg: m.swd.avg, levels: m.swd.levels.map((l) => ({ res: l.res, swd: l.swd })) };
    if (m.kid) report.kid = { mean: m.kid.mean, std: m.kid.std, label: m.kid.label };
    this.emit({ type: 'metrics', metrics: report });
    this.activity('');
  }
}
