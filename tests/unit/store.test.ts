import { describe, expect, it } from 'vitest';
import { useAppStore, type AppState } from '../../src/store';
import { appendLoss, applyRunEvent } from '../../src/store/runEvents';
import type { GridImage, RunEvent } from '../../src/worker/protocol';

/** Applies events one after another to a fresh store state. */
function reduce(events: RunEvent[]): AppState {
  let s = useAppStore.getInitialState();
  for (const e of events) s = { ...s, ...applyRunEvent(s, e) };
  return s;
}

const grid = (count = 2): GridImage => ({ width: 4 * count, height: 4, pixels: new ArrayBuffer(4 * count * 4 * 4), count, columns: count, resolution: 4 });
const step = (images: number, dLoss = 1, gLoss = 2): RunEvent => ({ type: 'step', images, stage: 0, resolution: 4, dLoss, gLoss, alpha: 1, steps: 1, imagesPerSecond: 10 });

describe('the store reducer of run events', () => {
  it('merges loss points pairwise, weighted by their steps, when the chart is full', () => {
    let pts = [{ images: 8, dLoss: 1, gLoss: 1, steps: 1 }];
    pts = appendLoss(pts, { images: 16, dLoss: 4, gLoss: 4, steps: 3 }, 2);
    pts = appendLoss(pts, { images: 24, dLoss: 0, gLoss: 0, steps: 1 }, 2);
    expect(pts).toEqual([{ images: 16, dLoss: 3.25, gLoss: 3.25, steps: 4 }, { images: 24, dLoss: 0, gLoss: 0, steps: 1 }]);
  });

  it('tracks a half step: D first (G next), then the full step clears it', () => {
    let s = reduce([{ type: 'half-step', half: 'D', loss: 0.5, images: 0 }]);
    expect(s.run.halfStep).toEqual({ half: 'D', loss: 0.5 });
    s = { ...s, ...applyRunEvent(s, { type: 'half-step', half: 'G', loss: 1.5, images: 8 }) };
    expect(s.run.halfStep).toBeNull();
    expect(s.run.lastHalf).toEqual({ half: 'G', loss: 1.5 });
    s = { ...s, ...applyRunEvent(s, { type: 'half-step', half: 'D', loss: 0.1, images: 8 }) };
    s = { ...s, ...applyRunEvent(s, step(16)) };
    expect(s.run.halfStep).toBeNull();
    s = { ...s, ...applyRunEvent(s, { type: 'status', status: 'running', images: 16 }) };
    expect(s.run.lastHalf).toBeNull();
  });

  it('keeps every stage grid in the gallery, the latest live grid, and the latent walk', () => {
    const s = reduce([
      { type: 'samples', kind: 'live', stage: 0, images: 8, grid: grid() },
      { type: 'samples', kind: 'stage', stage: 0, images: 16, grid: grid() },
      { type: 'interpolation', images: 16, grid: grid(9) },
      { type: 'samples', kind: 'stage', stage: 1, images: 32, grid: grid() },
    ]);
    expect(s.samples.gallery.map((g) => [g.stage, g.images])).toEqual([[0, 16], [1, 32]]);
    expect(s.samples.live?.images).toBe(32);
    expect(s.samples.interpolation?.count).toBe(9);
  });

  it('builds the search tree: created, scored, chosen; unknown ids change nothing', () => {
    const candidate = (id: number, parentId: number | null) => ({ id, parentId, stage: parentId === null ? 0 : 1, action: parentId === null ? null : 'g:3x3x8', resolution: 4, params: { G: 1, D: 1 }, depth: { G: 1, D: 1 } });
    const s = reduce([
      { type: 'search', update: { kind: 'candidate-created', candidate: candidate(0, null), images: 0 } },
      { type: 'search', update: { kind: 'candidate-created', candidate: candidate(1, 0), images: 16 } },
      { type: 'search', update: { kind: 'candidate-scored', id: 1, score: 3, metric: 'kid', images: 24 } },
      { type: 'search', update: { kind: 'stage-chosen', stage: 1, id: 1, score: 3, images: 24 } },
      { type: 'search', update: { kind: 'candidate-scored', id: 99, score: 1, metric: 'kid', images: 24 } },
    ]);
    expect(s.search.order).toEqual([0, 1]);
    expect(s.search.nodes[1]).toMatchObject({ score: 3, metric: 'kid', chosen: true, progress: 1 });
    expect(s.search.nodes[99]).toBeUndefined();
  });

  it('records a failure with its message and stops the speed read-out', () => {
    const s = reduce([step(8), { type: 'status', status: 'failed', images: 8, error: 'training diverged' }]);
    expect(s.run.status).toBe('failed');
    expect(s.run.error).toBe('training diverged');
    expect(s.run.imagesPerSecond).toBe(0);
  });
});
