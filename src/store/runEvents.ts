/**
 * The store's reducer for the worker's run events: each event becomes new slices of state.
 * Pure (no worker, no React), so it can be tested and reasoned about on its own.
 */
import type { RunEvent } from '../worker/protocol';
import type { LossSample } from './runSlice';
import { toGrid } from './samplesSlice';
import type { SearchNode } from './searchSlice';
import type { AppState } from './types';

/** Loss points kept for the chart; beyond it, neighbours are merged (the chart stays fast). */
export const MAX_LOSS_POINTS = 600;

/** Appends a point; when the list is full, pairs of neighbours merge into their step-weighted mean. */
export function appendLoss(points: LossSample[], p: LossSample, max = MAX_LOSS_POINTS): LossSample[] {
  const next = [...points, p];
  if (next.length <= max) return next;
  const merged: LossSample[] = [];
  for (let i = 0; i < next.length; i += 2) {
    const a = next[i]!;
    const b = next[i + 1];
    if (!b) {
      merged.push(a);
      continue;
    }
    const steps = a.steps + b.steps;
    const mean = (x: number, y: number) => (x * a.steps + y * b.steps) / steps;
    const m: LossSample = { images: b.images, dLoss: mean(a.dLoss, b.dLoss), gLoss: mean(a.gLoss, b.gLoss), steps };
    if (a.penalty !== undefined && b.penalty !== undefined) m.penalty = mean(a.penalty, b.penalty);
    merged.push(m);
  }
  return merged;
}

/** The views as they were at `images` (a checkpoint): later points are trained again. */
export function rewindTo(s: AppState, images: number): Partial<AppState> & Pick<AppState, 'run'> {
  const upTo = (x: number) => x <= images;
  return {
    run: {
      ...s.run,
      images,
      losses: s.run.losses.filter((p) => upTo(p.images)),
      growths: s.run.growths.filter((g) => upTo(g.images)),
      stages: s.run.stages.filter((st) => upTo(st.imagesEnd)),
    },
    metrics: { reports: s.metrics.reports.filter((r) => upTo(r.images)) },
    samples: { ...s.samples, gallery: s.samples.gallery.filter((g) => upTo(g.images)), selected: null },
  };
}

export function applyRunEvent(s: AppState, e: RunEvent): Partial<AppState> {
  const run = s.run;
  switch (e.type) {
    case 'run-started':
      return {
        run: {
          ...run,
          config: e.config,
          dataset: e.dataset,
          plannedStages: e.plannedStages,
          plannedImages: e.plannedImages,
          model: e.model,
          resolution: e.model.resolution,
        },
        samples: { ...s.samples, reals: toGrid(e.reals, 0, 0) },
      };
    case 'status': {
      const next = { ...run, status: e.status, images: e.images };
      if (e.error !== undefined) next.error = e.error;
      if (e.status !== 'running') next.imagesPerSecond = 0;
      else next.lastHalf = null;
      return { run: next, search: e.status === 'done' || e.status === 'stopped' || e.status === 'failed' ? { ...s.search, activeId: null } : s.search };
    }
    case 'activity':
      return { run: { ...run, activity: e.text } };
    case 'step': {
      const point: LossSample = { images: e.images, dLoss: e.dLoss, gLoss: e.gLoss, steps: e.steps };
      // A full step ends any half step in progress.
      if (e.penalty !== undefined) point.penalty = e.penalty;
      const update: Partial<AppState> = {
        run: {
          ...run,
          images: e.images,
          imagesPerSecond: e.imagesPerSecond,
          stage: e.stage,
          resolution: e.resolution,
          alpha: e.alpha,
          losses: appendLoss(run.losses, point),
          halfStep: null,
        },
      };
      if (e.candidateId !== undefined) {
        const node = s.search.nodes[e.candidateId];
        update.search = {
          ...s.search,
          activeId: e.candidateId,
          nodes: node ? { ...s.search.nodes, [e.candidateId]: { ...node, progress: e.progress ?? 0 } } : s.search.nodes,
        };
      }
      return update;
    }
    case 'model':
      return { run: { ...run, model: e.model, resolution: e.model.resolution } };
    case 'half-step':
      return { run: { ...run, halfStep: e.half === 'D' ? { half: 'D', loss: e.loss } : null, lastHalf: { half: e.half, loss: e.loss } } };
    case 'checkpoint':
      return { run: { ...run, checkpoint: e.checkpoint } };
    case 'rollback': {
      // Everything after the checkpoint is undone: drop it from the views, and say so.
      const back = rewindTo(s, e.images);
      return { ...back, run: { ...back.run, notes: [...run.notes, { images: e.images, text: `rolled back: ${e.reason}` }] } };
    }
    case 'interpolation':
      return { samples: { ...s.samples, interpolation: toGrid(e.grid, run.stage, e.images) } };
    case 'growth':
      return { run: { ...run, growths: [...run.growths, { stage: e.stage, images: e.images, action: e.action, resolution: e.resolution, reason: e.reason }] } };
    case 'stage-done':
      return { run: { ...run, stages: [...run.stages, e.stage] } };
    case 'metrics':
      return { metrics: { reports: [...s.metrics.reports, e.metrics] } };
    case 'samples': {
      const grid = toGrid(e.grid, e.stage, e.images);
      if (e.kind === 'live') return { samples: { ...s.samples, live: grid } };
      return { samples: { ...s.samples, live: grid, gallery: [...s.samples.gallery, grid] } };
    }
    case 'search': {
      const u = e.update;
      const search = s.search;
      switch (u.kind) {
        case 'stage-started':
          return { search: { ...search, stage: u.stage, phase: u.phase } };
        case 'candidate-created': {
          const node: SearchNode = { ...u.candidate, chosen: false, progress: 0 };
          return { search: { ...search, nodes: { ...search.nodes, [node.id]: node }, order: [...search.order, node.id], activeId: node.id } };
        }
        case 'candidate-scored': {
          const node = search.nodes[u.id];
          if (!node) return {};
          return { search: { ...search, nodes: { ...search.nodes, [u.id]: { ...node, score: u.score, metric: u.metric, progress: 1 } } } };
        }
        case 'stage-chosen': {
          const node = search.nodes[u.id];
          if (!node) return {};
          return { search: { ...search, nodes: { ...search.nodes, [u.id]: { ...node, chosen: true } } } };
        }
      }
    }
  }
}
