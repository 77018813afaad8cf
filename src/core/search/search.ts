/**
 * The dynamic growing search (DGGAN, ALGORITHM.md §1): training stages alternate with growth
 * stages. At a growth stage the top-K models of the search history propose their legal actions,
 * each kept with probability p (at least `minCandidates` in all); every candidate is a copy of its
 * parent (inheriting every weight), grows by its action, trains for the same number of images and
 * is scored; all join the history, and training continues from the best of the stage. Which
 * candidates a stage trains (every kind of action represented, the resolution deadline, the
 * budget cap) is propose.ts.
 * Every image any candidate sees counts toward the run's budget.
 */
import { completeFade, formatAction, legalActions, type GrowthAction } from '../actions';
import { summarize } from '../architecture';
import type { ImageSet } from '../data/imageSet';
import { resolutionOf, type Genome } from '../genome';
import { Rng } from '../rng';
import { runStage, type LossPoint } from '../stage';
import { Trainer, type TrainerSnapshot } from '../trainer';
import { cannotReach, doublingsTo, mustGrowResolution, proposeCandidates } from './propose';

export interface SearchConfig {
  /** Parents per growth stage: the best K models of the history. */
  topK: number;
  /** Probability that a parent's legal action becomes a candidate. */
  keepProbability: number;
  /** At least this many candidates per growth stage (when that many actions are legal). */
  minCandidates: number;
  /** Images each candidate trains before it is scored. */
  candidateImages: number;
  /** Images of each training stage (the chosen model continues). */
  stageImages: number;
  /** Total images of the run, candidates included. */
  budgetImages: number;
  batch: number;
  mirror?: boolean;
  /**
   * End at the data resolution (default true): a parent that could no longer afford its remaining
   * resolution growths (one growth stage each) proposes only resolution growths.
   */
  reachResolution?: boolean;
}

export const DEFAULT_SEARCH: Omit<SearchConfig, 'budgetImages' | 'batch'> = {
  topK: 3,
  keepProbability: 0.5,
  minCandidates: 3,
  candidateImages: 1000,
  stageImages: 2000,
};

export interface CandidateRecord {
  id: number;
  parentId: number | null;
  /** The growth stage that created it (0: the initial model). */
  stage: number;
  action: string | null;
  genome: Genome;
  params: { G: number; D: number };
  depth: { G: number; D: number };
  resolution: number;
  /** Lower is better, within one metric. */
  score: number;
  /** What the score measures; SWD-scored models (≥ 16 px) rank above KID-scored ones. */
  metric: string;
  /** Run images when it was scored. */
  imagesUsed: number;
}

export type SearchEvent =
  | { type: 'stage-started'; stage: number; kind: 'train' | 'grow'; imagesUsed: number }
  | { type: 'candidate-created'; candidate: Omit<CandidateRecord, 'score' | 'metric' | 'imagesUsed'> }
  | { type: 'step'; candidateId: number; point: LossPoint; imagesUsed: number }
  | { type: 'candidate-scored'; id: number; score: number; metric: string; imagesUsed: number }
  | { type: 'stage-chosen'; stage: number; id: number; score: number; imagesUsed: number };

export interface SearchResult {
  history: CandidateRecord[];
  /** The model training continued from at the end. */
  final: CandidateRecord;
  /** Its trainer (the caller disposes it). */
  trainer: Trainer;
  imagesUsed: number;
}

interface Entry {
  record: CandidateRecord;
  trainer: Trainer | null;
}

/** A score and what it measures (e.g. SWD from 16 px, KID on the feature network below). */
export interface Score {
  value: number;
  metric: string;
}

/** Metrics in ranking order: a model scored by an earlier one ranks above any scored by a later one. */
export const METRIC_RANK = ['swd', 'kid'];

const metricRank = (m: string) => {
  const i = METRIC_RANK.indexOf(m);
  return i < 0 ? METRIC_RANK.length : i;
};

/** Best first: by metric (SWD before KID), lower score, fewer parameters, then the older model. */
export function rankCandidates<T extends Pick<CandidateRecord, 'score' | 'params' | 'id'> & { metric?: string }>(xs: T[]): T[] {
  return [...xs].sort(
    (a, b) =>
      metricRank(a.metric ?? '') - metricRank(b.metric ?? '') ||
      a.score - b.score ||
      a.params.G + a.params.D - (b.params.G + b.params.D) ||
      a.id - b.id,
  );
}

/**
 * The whole state of a search between two growth stages: resuming from it (same backend) gives
 * exactly the run that was not interrupted.
 */
export interface SearchCheckpoint {
  version: 1;
  /** The next growth stage. */
  stage: number;
  used: number;
  nextId: number;
  currentId: number;
  history: CandidateRecord[];
  /** Weights and optimizer state of every model that can still be a parent. */
  trainers: Record<number, TrainerSnapshot>;
  rng: { state: number; spare: number | null };
}

export interface SearchHooks {
  onEvent?: (e: SearchEvent) => void;
  /** Called after each training stage with the model that trained (e.g. to measure it fully). */
  afterTraining?: (t: Trainer, record: CandidateRecord) => Promise<void>;
  /** Called with each candidate right after it was copied from its parent and grown, before it trains. */
  beforeCandidate?: (child: Trainer, parent: Trainer, action: GrowthAction) => void;
  /** Called between stages with the state to resume from. */
  onCheckpoint?: (c: SearchCheckpoint) => Promise<void>;
  /** Called with each model restored from a checkpoint when a search resumes. */
  onRestore?: (t: Trainer) => void;
}

/**
 * Runs the search from `start`: a fresh initial model (the search takes ownership of it) or a
 * checkpoint. `rng` is used only for a fresh start; a checkpoint carries its own.
 */
export async function runSearch(
  start: Trainer | SearchCheckpoint,
  data: ImageSet,
  score: (t: Trainer) => Promise<Score>,
  cfg: SearchConfig,
  seedRng: Rng,
  hooks: SearchHooks = {},
): Promise<SearchResult> {
  const onEvent = hooks.onEvent ?? (() => undefined);
  const afterTraining = hooks.afterTraining ?? (async () => undefined);
  const resumed = start instanceof Trainer ? null : start;
  const rng = resumed ? Rng.restore(resumed.rng) : seedRng;
  let used = resumed?.used ?? 0;
  // What training really spends: it runs whole batches. Within the budget: the whole batches left.
  const spend = (images: number) => Math.ceil(images / cfg.batch) * cfg.batch;
  const affordable = (images: number) => Math.min(spend(images), Math.floor((cfg.budgetImages - used) / cfg.batch) * cfg.batch);
  let nextId = resumed?.nextId ?? 0;
  const history: Entry[] = resumed
    ? resumed.history.map((record) => {
        const snap = resumed.trainers[record.id];
        const trainer = snap ? Trainer.restore(snap) : null;
        if (trainer) hooks.onRestore?.(trainer);
        return { record, trainer };
      })
    : [];
  const describe = (t: Trainer, id: number, parentId: number | null, stage: number, action: GrowthAction | null) => {
    const s = summarize(t.genome);
    return {
      id,
      parentId,
      stage,
      action: action ? formatAction(action) : null,
      genome: t.genome,
      params: { G: s.G.params, D: s.D.params },
      depth: { G: s.G.depth, D: s.D.depth },
      resolution: s.resolution,
    };
  };
  const train = async (t: Trainer, id: number, images: number) => {
    await runStage(t, data, { index: id, action: null, images, batch: cfg.batch, mirror: cfg.mirror ?? false }, rng, (point) => {
      used += cfg.batch;
      onEvent({ type: 'step', candidateId: id, point, imagesUsed: used });
    });
  };
  const scored = async (t: Trainer, base: Omit<CandidateRecord, 'score' | 'metric' | 'imagesUsed'>): Promise<CandidateRecord> => {
    const s = await score(t);
    const record = { ...base, score: s.value, metric: s.metric, imagesUsed: used };
    onEvent({ type: 'candidate-scored', id: record.id, score: record.score, metric: s.metric, imagesUsed: used });
    return record;
  };

  const checkpoint = async (stage: number): Promise<SearchCheckpoint> => {
    const trainers: Record<number, TrainerSnapshot> = {};
    for (const h of history) if (h.trainer) trainers[h.record.id] = await h.trainer.snapshot();
    return { version: 1, stage, used, nextId, currentId: current.record.id, history: history.map((h) => h.record), trainers, rng: rng.snapshot };
  };

  let current: Entry;
  if (resumed) {
    current = history.find((h) => h.record.id === resumed.currentId)!;
    if (!current?.trainer) throw new Error('checkpoint: the current model has no weights');
  } else {
    const initial = start as Trainer;
    // Stage 0: the initial model trains and is scored.
    onEvent({ type: 'stage-started', stage: 0, kind: 'train', imagesUsed: used });
    const first = describe(initial, nextId++, null, 0, null);
    onEvent({ type: 'candidate-created', candidate: first });
    await train(initial, first.id, affordable(cfg.stageImages));
    current = { record: await scored(initial, describe(initial, first.id, null, 0, null)), trainer: initial };
    history.push(current);
    onEvent({ type: 'stage-chosen', stage: 0, id: first.id, score: current.record.score, imagesUsed: used });
    await afterTraining(initial, current.record);
    await hooks.onCheckpoint?.(await checkpoint(1));
  }

  try {
    for (let stage = resumed?.stage ?? 1; used + spend(cfg.candidateImages) <= cfg.budgetImages; stage++) {
      onEvent({ type: 'stage-started', stage, kind: 'grow', imagesUsed: used });
      // Scores go stale as models train and grow: measure every possible parent again (no images
      // are spent), so the top-K are the best models as they are now, not as they once scored.
      for (const h of history)
        if (h.trainer) {
          const { score: _s, metric: _m, imagesUsed: _u, ...base } = h.record;
          h.record = await scored(h.trainer, base);
        }
      // Under the resolution deadline, a model that could no longer reach the data resolution
      // (even growing it at every remaining stage) is a dead end and no parent; if all are, the
      // ones closest to the data resolution climb as far as they can.
      const stageCost = cfg.minCandidates * spend(cfg.candidateImages) + spend(cfg.stageImages);
      const left = cfg.budgetImages - used;
      const deadline = cfg.reachResolution ?? true;
      const doublingsOf = (t: Trainer) => doublingsTo(resolutionOf(t.genome), t.config.space.maxResolution);
      const holders = history.filter((h) => h.trainer);
      const reachable = holders.filter((h) => !deadline || !cannotReach(doublingsOf(h.trainer!), left, stageCost));
      const fewest = Math.min(...holders.map((h) => doublingsOf(h.trainer!)));
      const closest = holders.filter((h) => doublingsOf(h.trainer!) === fewest);
      const parents = rankCandidates((reachable.length > 0 ? reachable : closest).map((h) => h.record))
        .slice(0, cfg.topK)
        .map((r) => history.find((h) => h.record.id === r.id)!);
      // A parent still fading in grows once its fade is complete (Trainer.grow finishes it).
      const plans = parents.map((p) => ({
        actions: legalActions(completeFade(p.trainer!.genome), p.trainer!.config.space).map((action) => ({ parent: p, action })),
        forced: deadline && mustGrowResolution(doublingsOf(p.trainer!), left, stageCost),
      }));
      const all = plans.flatMap((pl) => (pl.forced ? pl.actions.filter((x) => x.action.kind === 'res') : pl.actions));
      if (all.length === 0) break;
      // No more candidates than the budget can train while leaving a training stage and, under
      // the deadline, the growth stages still needed after this one; once the deadline binds, no
      // more than the stage cost it reserved.
      const binding = plans.some((pl) => pl.forced);
      const stillNeeded = deadline ? Math.max(0, Math.min(...parents.map((p) => doublingsOf(p.trainer!))) - (binding ? 1 : 0)) : 0;
      const room = Math.floor((left - spend(cfg.stageImages) - stillNeeded * stageCost) / spend(cfg.candidateImages));
      const kept = proposeCandidates(all, rng, { keepProbability: cfg.keepProbability, minCandidates: cfg.minCandidates, room: binding ? Math.min(room, cfg.minCandidates) : room });

      const born: Entry[] = [];
      for (const { parent, action } of kept) {
        if (used + spend(cfg.candidateImages) > cfg.budgetImages) break;
        const child = parent.trainer!.clone(rng.fork());
        child.grow(action);
        hooks.beforeCandidate?.(child, parent.trainer!, action);
        const id = nextId++;
        const base = describe(child, id, parent.record.id, stage, action);
        const entry: Entry = { record: { ...base, score: Number.POSITIVE_INFINITY, metric: '', imagesUsed: used }, trainer: child };
        history.push(entry);
        onEvent({ type: 'candidate-created', candidate: base });
        await train(child, id, cfg.candidateImages);
        entry.record = await scored(child, describe(child, id, parent.record.id, stage, action));
        born.push(entry);
      }
      if (born.length === 0) break;
      current = born.find((b) => b.record.id === rankCandidates(born.map((b) => b.record))[0]!.id)!;
      onEvent({ type: 'stage-chosen', stage, id: current.record.id, score: current.record.score, imagesUsed: used });

      // Training stage: the chosen model continues, then is scored again.
      const images = affordable(cfg.stageImages);
      if (images >= cfg.batch) {
        onEvent({ type: 'stage-started', stage, kind: 'train', imagesUsed: used });
        await train(current.trainer!, current.record.id, images);
        const { score: _s, metric: _m, imagesUsed: _u, ...base } = current.record;
        current.record = await scored(current.trainer!, { ...base, genome: current.trainer!.genome });
        await afterTraining(current.trainer!, current.record);
      }
      // Keep weights only for models that can still be parents (and the current one).
      const keep = new Set(rankCandidates(history.filter((h) => h.trainer).map((h) => h.record)).slice(0, cfg.topK).map((r) => r.id));
      keep.add(current.record.id);
      for (const h of history)
        if (h.trainer && !keep.has(h.record.id)) {
          h.trainer.dispose();
          h.trainer = null;
        }
      await hooks.onCheckpoint?.(await checkpoint(stage + 1));
    }
  } catch (e) {
    for (const h of history) h.trainer?.dispose();
    throw e;
  }
  for (const h of history) if (h.trainer && h !== current) h.trainer.dispose();
  return { history: history.map((h) => h.record), final: current.record, trainer: current.trainer!, imagesUsed: used };
}
