import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../src/core/actions';
import { makeShapes } from '../../src/core/data/shapes';
import { createBaseGenome } from '../../src/core/genome';
import { Rng } from '../../src/core/rng';
import { rankCandidates, runSearch, type SearchCheckpoint, type SearchConfig, type SearchEvent } from '../../src/core/search/search';
import { DEFAULT_TRAINER, Trainer } from '../../src/core/trainer';
import { useBackend } from './helpers';

const data = makeShapes({ count: 32, size: 8, seed: 4 });
const space = { ...DEFAULT_SPACE, maxResolution: 8, minWidth: 4, maxWidth: 16, kernels: [1, 3] };
const trainerConfig = { ...DEFAULT_TRAINER, fadeImages: 8, space };
const cfg: SearchConfig = { topK: 2, keepProbability: 0.3, minCandidates: 2, candidateImages: 8, stageImages: 16, budgetImages: 96, batch: 4 };

/** A deterministic, cheap score: how far the mean generated pixel is from the data's mean. */
async function score(t: Trainer): Promise<{ value: number; metric: string }> {
  const z = t.latents(8, new Rng(99));
  const x = t.sample(z);
  const mean = x.mean();
  const m = (await mean.data())[0]!;
  tf.dispose([z, x, mean]);
  return { value: Math.abs(m - 0.1), metric: 'kid' };
}

async function search(seed: number, c: SearchConfig = cfg) {
  const rng = new Rng(seed);
  const events: SearchEvent[] = [];
  const initial = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), trainerConfig, rng.fork());
  const result = await runSearch(initial, data, score, c, rng, { onEvent: (e) => events.push(e) });
  return { result, events };
}

describe('DGGAN search', () => {
  beforeAll(() => useBackend('wasm'));

  it('counts every image, candidates included, and stays within the budget', async () => {
    const { result, events } = await search(1);
    const steps = events.filter((e) => e.type === 'step').length;
    expect(result.imagesUsed).toBe(steps * cfg.batch);
    expect(result.imagesUsed).toBeLessThanOrEqual(cfg.budgetImages);
    const candidates = result.history.filter((c) => c.stage > 0).length;
    expect(candidates).toBeGreaterThanOrEqual(2);
    expect(result.imagesUsed).toBeGreaterThanOrEqual(cfg.stageImages + candidates * cfg.candidateImages);
    result.trainer.dispose();
  });

  it('ends at the data resolution: the deadline leaves room for every resolution growth', async () => {
    // From 4 px to the data's 8 px is one growth; a budget of three stages must use one on it.
    for (const seed of [1, 2, 3]) {
      const { result } = await search(seed, { ...cfg, keepProbability: 0, minCandidates: 1, budgetImages: 72 });
      expect(result.final.resolution).toBe(8);
      result.trainer.dispose();
    }
  });

  it('ends at the data resolution with several parents, however the search explored before', async () => {
    // 4 → 16 px (two growths), three parents: stale low-resolution parents must not be grown late.
    const data16 = makeShapes({ count: 32, size: 16, seed: 4 });
    const tc = { ...trainerConfig, space: { ...space, maxResolution: 16 } };
    // Budgets that are not whole batches (6 → 8 and 14 → 16 images) must be costed as trained.
    for (const [seed, c] of [1, 2, 3, 4].flatMap((seed) => [
      [seed, { ...cfg, topK: 3, keepProbability: 0.4, minCandidates: 2, budgetImages: 160 }],
      [seed, { ...cfg, topK: 3, keepProbability: 0.4, minCandidates: 3, candidateImages: 6, stageImages: 14, budgetImages: 150 }],
    ] as [number, SearchConfig][])) {
      const rng = new Rng(seed);
      const initial = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), tc, rng.fork());
      const result = await runSearch(initial, data16, score, c, rng);
      expect(result.final.resolution, `seed ${seed}`).toBe(16);
      expect(result.imagesUsed).toBeLessThanOrEqual(c.budgetImages);
      result.trainer.dispose();
    }
  });

  it('grows each candidate from a parent in the history by a legal action, and continues from the best', async () => {
    const { result, events } = await search(2);
    const ids = new Set(result.history.map((c) => c.id));
    for (const c of result.history.filter((c) => c.stage > 0)) {
      expect(ids.has(c.parentId!)).toBe(true);
      expect(c.action).toMatch(/^(g|d|res):/);
    }
    for (const chosen of events.filter((e) => e.type === 'stage-chosen' && e.stage > 0)) {
      const stage = (chosen as { stage: number }).stage;
      const born = result.history.filter((c) => c.stage === stage);
      const scoredAtBirth = events.filter((e) => e.type === 'candidate-scored' && born.some((b) => b.id === e.id)).slice(0, born.length) as { id: number; score: number }[];
      const best = Math.min(...scoredAtBirth.map((s) => s.score));
      expect((chosen as { score: number }).score).toBe(best);
    }
    result.trainer.dispose();
  });

  it("starts every candidate from its parent's weights; only new layers are new", async () => {
    const rng = new Rng(6);
    const initial = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), trainerConfig, rng.fork());
    let checked = 0;
    const result = await runSearch(initial, data, score, cfg, rng, {
      beforeCandidate: (child, parent) => {
        const newIds = new Set(child.genome.fade?.newIds ?? []);
        for (const [name, w] of child.params) {
          const id = name.slice(0, name.lastIndexOf('/'));
          if (newIds.has(id)) continue;
          expect(w.dataSync()).toEqual(parent.params.get(name)!.dataSync());
          checked++;
        }
        expect(newIds.size).toBeGreaterThan(0);
      },
    });
    expect(checked).toBeGreaterThan(20);
    result.trainer.dispose();
  });

  it('ranks by score, then by fewer parameters', () => {
    const r = rankCandidates([
      { id: 1, score: 2, params: { G: 1, D: 1 } },
      { id: 2, score: 1, params: { G: 5, D: 5 } },
      { id: 3, score: 1, params: { G: 1, D: 2 } },
    ]);
    expect(r.map((x) => x.id)).toEqual([3, 2, 1]);
    const mixed = rankCandidates([
      { id: 1, score: 0.1, params: { G: 1, D: 1 }, metric: 'kid' },
      { id: 2, score: 50, params: { G: 1, D: 1 }, metric: 'swd' },
    ]);
    expect(mixed.map((x) => x.id)).toEqual([2, 1]);
  });

  it('repeats exactly from the same seed, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await search(3);
    a.result.trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const b = await search(3);
    b.result.trainer.dispose();
    const key = (r: typeof a) => r.result.history.map((c) => `${c.id}<${c.parentId}:${c.action}=${c.score}`);
    expect(key(b)).toEqual(key(a));
  });

  it('resumes from a checkpoint to exactly the run that was not interrupted', async () => {
    const full = await search(5);
    full.result.trainer.dispose();
    // Run again, keep the checkpoint taken before growth stage 2, and stop there.
    const start = tf.memory().numTensors;
    const rng = new Rng(5);
    const initial = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), trainerConfig, rng.fork());
    let saved: SearchCheckpoint | null = null;
    const stop = new Error('paused');
    await runSearch(initial, data, score, cfg, rng, {
      onCheckpoint: async (c) => {
        if (c.stage === 2) {
          saved = structuredClone(c);
          throw stop;
        }
      },
    }).catch((e) => {
      if (e !== stop) throw e;
    });
    expect(saved).not.toBeNull();
    // The interrupted search disposed every model it held.
    expect(tf.memory().numTensors).toBe(start);
    const before = start;
    const resumed = await runSearch(saved!, data, score, cfg, new Rng(12345));
    const key = (h: typeof full.result.history) => h.map((c) => `${c.id}<${c.parentId}:${c.action}=${c.score}@${c.imagesUsed}`);
    expect(key(resumed.history)).toEqual(key(full.result.history));
    expect(resumed.imagesUsed).toBe(full.result.imagesUsed);
    resumed.trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('copies a trainer with equal but independent weights', async () => {
    const t = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), trainerConfig, new Rng(1));
    const twin = t.clone(new Rng(2));
    for (const [k, v] of t.params) expect(twin.params.get(k)!.dataSync()).toEqual(v.dataSync());
    twin.grow({ kind: 'g', kernel: 3, width: 8 });
    expect(t.genome.fade).toBeNull();
    expect(t.params.size).toBeLessThan(twin.params.size);
    t.dispose();
    twin.dispose();
  });
});
