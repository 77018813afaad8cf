import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE, parseActions } from '../../src/core/actions';
import { sampleBatch } from '../../src/core/data/imageSet';
import { makeShapes } from '../../src/core/data/shapes';
import { createBaseGenome } from '../../src/core/genome';
import { Rng } from '../../src/core/rng';
import { DEFAULT_TRAINER, Trainer, type TrainerConfig } from '../../src/core/trainer';
import { useBackend } from './helpers';

const data = makeShapes({ count: 64, size: 16, seed: 3 });
const config: TrainerConfig = { ...DEFAULT_TRAINER, fadeImages: 40, space: { ...DEFAULT_SPACE, maxResolution: 16, minWidth: 4 } };
const tiny = () => createBaseGenome({ channels: 3, latent: 8, width: 8 });

async function run(seed: number, stepsPerStage: number, actions: string, onStep?: (t: Trainer, i: number) => void) {
  const rng = new Rng(seed);
  const trainer = new Trainer(tiny(), config, rng);
  const losses: number[] = [];
  for (const action of [null, ...parseActions(actions)]) {
    if (action) trainer.grow(action);
    for (let i = 0; i < stepsPerStage; i++) {
      const batch = sampleBatch(data, 4, trainer.resolution, rng);
      const s = await trainer.step(batch);
      batch.dispose();
      losses.push(s.dLoss, s.gLoss);
      onStep?.(trainer, i);
    }
  }
  return { trainer, losses };
}

describe('Trainer', () => {
  beforeAll(() => useBackend('wasm'));

  it('leaks no tensors over hundreds of steps and several growths', async () => {
    const start = tf.memory().numTensors;
    const counts: number[][] = [];
    const { trainer, losses } = await run(1, 60, 'g:3x3x8,res:8,d:3x3x4,res:16/8,g:1x1x16', (t, i) => {
      if (i === 0) counts.push([]);
      counts[counts.length - 1]!.push(tf.memory().numTensors);
    });
    expect(losses).toHaveLength(6 * 60 * 2);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Within a stage the count is flat once the fade has finished and Adam's moments exist.
    for (const stage of counts) expect(new Set(stage.slice(-40)).size).toBe(1);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('repeats a run exactly from the same seed', async () => {
    const a = await run(5, 4, 'res:8,d:3x3x8');
    const b = await run(5, 4, 'res:8,d:3x3x8');
    const c = await run(6, 4, 'res:8,d:3x3x8');
    expect(a.losses).toEqual(b.losses);
    expect(a.losses).not.toEqual(c.losses);
    for (const r of [a, b, c]) r.trainer.dispose();
  });

  it('fades new layers in over the configured images and then drops the old ones', async () => {
    const rng = new Rng(2);
    const trainer = new Trainer(tiny(), config, rng);
    trainer.grow({ kind: 'res', gWidth: 8, dWidth: 8 });
    expect(trainer.alpha).toBe(0);
    const alphas: number[] = [];
    for (let i = 0; i < 12; i++) {
      const batch = sampleBatch(data, 4, 8, rng);
      alphas.push((await trainer.step(batch)).alpha);
      batch.dispose();
    }
    expect(alphas.slice(0, 4)).toEqual([0, 0.1, 0.2, 0.3].map((x) => expect.closeTo(x, 6)));
    expect(trainer.alpha).toBe(1);
    expect(trainer.genome.fade).toBeNull();
    expect([...trainer.params.keys()].some((k) => k.startsWith(`${tiny().g.toRGB.id}/`))).toBe(false);
    trainer.dispose();
  });

  it('children start from their parent weights', async () => {
    const rng = new Rng(4);
    const trainer = new Trainer(tiny(), config, rng);
    const batch = sampleBatch(data, 4, 4, rng);
    await trainer.step(batch);
    batch.dispose();
    const before = new Map([...trainer.params].map(([k, v]) => [k, v.dataSync().slice()]));
    trainer.grow({ kind: 'd', kernel: 3, width: 8 });
    for (const [name, value] of before) {
      const now = trainer.params.get(name);
      if (now) expect(now.dataSync()).toEqual(value);
    }
    expect(trainer.params.size).toBeGreaterThan(before.size);
    trainer.dispose();
  });

  it('a D half-step then a G half-step compute exactly one full step, without leaks', async () => {
    const weights = async (halves: boolean) => {
      const rng = new Rng(7);
      const t = new Trainer(tiny(), config, rng);
      t.grow(parseActions('g:3x3x8')[0]!);
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const batch = sampleBatch(data, 4, t.resolution, rng);
        const s = halves ? await t.stepG(await t.stepD(batch)) : await t.step(batch);
        batch.dispose();
        losses.push(s.dLoss, s.gLoss, s.alpha, s.imagesSeen);
      }
      const snap = await t.snapshot();
      t.dispose();
      return { losses, params: snap.params };
    };
    const before = tf.memory().numTensors;
    const full = await weights(false);
    const split = await weights(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(split.losses).toEqual(full.losses);
    expect(split.params).toEqual(full.params);
  });

  it('rejects a batch at the wrong resolution with a clear message', async () => {
    const trainer = new Trainer(tiny(), config, new Rng(1));
    const batch = tf.zeros([4, 8, 8, 3]) as tf.Tensor4D;
    await expect(trainer.step(batch)).rejects.toThrow(/8×8×3, the networks expect 4×4×3/);
    batch.dispose();
    trainer.dispose();
  });
});

describe('the engine on other backends', () => {
  it('computes the same first steps on cpu as on wasm', async () => {
    const first = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const { trainer, losses } = await run(9, 2, 'g:3x3x8');
      trainer.dispose();
      return losses;
    };
    const wasm = await first('wasm');
    const cpu = await first('cpu');
    await useBackend('wasm');
    expect(cpu).toHaveLength(wasm.length);
    cpu.forEach((l, i) => expect(l).toBeCloseTo(wasm[i]!, 3));
  });
});
