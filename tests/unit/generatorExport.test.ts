import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseActions } from '../../src/core/actions';
import { sampleBatch } from '../../src/core/data/imageSet';
import { makeShapes } from '../../src/core/data/shapes';
import { createBaseGenome, validateGenome } from '../../src/core/genome';
import { generate } from '../../src/core/model';
import { Rng } from '../../src/core/rng';
import { DEFAULT_TRAINER, Trainer } from '../../src/core/trainer';
import { exportGenerator } from '../../src/store/runArchive';
import { EMPTY_RUN } from '../../src/store/runSlice';
import { EMPTY_SAMPLES } from '../../src/store/samplesSlice';
import { EMPTY_SEARCH } from '../../src/store/searchSlice';
import { DEFAULT_CONFIG } from '../../src/worker/labConfig';
import { useBackend } from './helpers';

describe('the exported generator', () => {
  beforeAll(() => useBackend('wasm'));

  it('loads as examples/load-generator.ts does and draws exactly what the EMA generator draws', async () => {
    const rng = new Rng(5);
    const t = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), { ...DEFAULT_TRAINER, fadeImages: 8 }, rng);
    const data = makeShapes({ count: 16, size: 8, seed: 1 });
    t.grow(parseActions('res:8')[0]!);
    for (let i = 0; i < 3; i++) {
      const b = sampleBatch(data, 4, t.resolution, rng);
      await t.step(b);
      b.dispose();
    }
    const snap = await t.snapshot();
    const zip = exportGenerator({
      app: 'growlab',
      version: 1,
      meta: { id: 'x', name: 'x', createdAt: 0, savedAt: 0, mode: 'progan', dataset: 'shapes', resolution: 8, images: 12, stages: 2, status: 'done', bytes: 0 },
      config: DEFAULT_CONFIG,
      state: { run: EMPTY_RUN, metrics: { reports: [] }, samples: EMPTY_SAMPLES, search: EMPTY_SEARCH },
      checkpoint: { version: 1, kind: 'schedule', images: 12, lr: 0.001, nextStage: 2, stageDone: 0, trainer: snap },
    });
    const files = unzipSync(zip);
    const meta = JSON.parse(new TextDecoder().decode(files['generator.json']));
    const floats = new Float32Array(files['generator.bin']!.slice().buffer);
    const params = new Map<string, tf.Variable>(
      (meta.weights as { name: string; shape: number[]; offset: number; length: number }[]).map((w) => [w.name, tf.variable(tf.tensor(floats.subarray(w.offset, w.offset + w.length), w.shape), false)]),
    );
    const z = t.latents(4, new Rng(9));
    const loaded = generate(validateGenome(meta.genome), params, z);
    const own = t.sample(z);
    expect(Array.from(await loaded.data())).toEqual(Array.from(await own.data()));
    tf.dispose([z, loaded, own, ...params.values()]);
    t.dispose();
  });
});
