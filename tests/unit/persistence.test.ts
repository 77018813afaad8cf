import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { paramShapes } from '../../src/core/architecture';
import { decodeUploads } from '../../src/core/data/upload';
import { createBaseGenome } from '../../src/core/genome';
import { exportGenerator, exportRun, importRun } from '../../src/store/runArchive';
import { approximateBytes, explain, type SavedRun } from '../../src/store/runLibrary';
import { EMPTY_RUN, nextBackend } from '../../src/store/runSlice';
import { EMPTY_SAMPLES } from '../../src/store/samplesSlice';
import { EMPTY_SEARCH } from '../../src/store/searchSlice';
import { configFromHash, configToHash } from '../../src/store/urlState';
import { DEFAULT_CONFIG } from '../../src/worker/labConfig';
import type { LabCheckpoint } from '../../src/worker/protocol';

const DIR = 'tests/fixtures/bad-inputs';
const corpus = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { file: string; kind: string; message: string }[];
const bytes = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));

function savedRun(checkpoint: LabCheckpoint | null = null): SavedRun {
  const grid = (stage: number) => ({ width: 4, height: 4, data: Uint8ClampedArray.from({ length: 64 }, (_, i) => (i * 7 + stage) % 256), count: 1, columns: 1, resolution: 4, stage, images: 100 * (stage + 1) });
  return {
    app: 'growlab',
    version: 1,
    meta: { id: 'r1', name: 'a run', createdAt: 1, savedAt: 2, mode: 'progan', dataset: 'shapes', resolution: 8, images: 200, stages: 2, status: 'paused', bytes: 1 },
    config: { ...DEFAULT_CONFIG, seed: 7 },
    state: {
      run: { ...EMPTY_RUN, status: 'paused', images: 200, losses: [{ images: 8, dLoss: 0.5, gLoss: -1, steps: 1 }], notes: [{ images: 100, text: 'rolled back' }] },
      metrics: { reports: [{ stage: 0, images: 100, modelResolution: 4, compareResolution: 16, n: 64, swd: { avg: 120.5, levels: [{ res: 16, swd: 120.5 }] }, features: 'Shapes-LeNet', seconds: 1 }] },
      samples: { ...EMPTY_SAMPLES, gallery: [grid(0), grid(1)] },
      search: EMPTY_SEARCH,
    },
    checkpoint,
  };
}

const genome = { channels: 3, g: { latent: 8 } } as unknown;
const checkpoint: LabCheckpoint = {
  version: 1,
  kind: 'schedule',
  images: 200,
  lr: 0.001,
  nextStage: 2,
  stageDone: 0,
  trainer: {
    genome: genome as never,
    config: {} as never,
    imagesSeen: 200,
    fadeStart: 0,
    emaUpdates: 3,
    rng: { state: 5, spare: null },
    params: { 'g0/w': Float32Array.from([1, 2, 3]), 'g0/b': Float32Array.from([4]) },
    ema: { 'g0/w': Float32Array.from([0.5, 1.5, 2.5]), 'g0/b': Float32Array.from([3.5]) },
    optD: {} as never,
    optG: {} as never,
  },
};

describe('run export and import', () => {
  it('round-trips a run exactly: settings, losses, metrics, gallery pixels, checkpoint weights', () => {
    const run = savedRun(checkpoint);
    const back = importRun(exportRun(run));
    expect(back).toEqual(run);
    expect(back.state.samples.gallery[1]!.data).toBeInstanceOf(Uint8ClampedArray);
    expect(back.checkpoint!.kind === 'schedule' && back.checkpoint!.trainer.params['g0/w']).toBeInstanceOf(Float32Array);
  });

  it('writes the stage grids as PNG files beside the data', () => {
    const files = unzipSync(exportRun(savedRun()));
    expect(Object.keys(files).filter((f) => f.startsWith('grids/'))).toEqual(['grids/stage-00.png', 'grids/stage-01.png']);
    expect([...files['grids/stage-00.png']!.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it("exports the EMA generator alone: a weight table with shapes, and the floats in its order", () => {
    const g = createBaseGenome({ channels: 3, latent: 8, width: 8 });
    const shapes = [...paramShapes(g)].filter(([name]) => name.startsWith('g'));
    let k = 0;
    const ema = Object.fromEntries(shapes.map(([name, shape]) => [name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => k++)]));
    const cp = { ...checkpoint, trainer: { ...(checkpoint as Extract<LabCheckpoint, { kind: 'schedule' }>).trainer, genome: g, ema } };
    const files = unzipSync(exportGenerator(savedRun(cp)));
    const json = JSON.parse(new TextDecoder().decode(files['generator.json']));
    expect(json.format).toBe('growlab-generator');
    expect(json.weights.map((w: { name: string; shape: number[] }) => [w.name, w.shape])).toEqual(shapes);
    expect([...new Float32Array(files['generator.bin']!.slice().buffer)]).toEqual(Array.from({ length: k }, (_, i) => i));
    expect(() => exportGenerator(savedRun(null))).toThrow(/no generator yet/);
  });
});

describe('settings in the URL hash', () => {
  it('round-trips a configuration', () => {
    const c = { ...DEFAULT_CONFIG, mode: 'dggan' as const, dataset: 'mnist' as const, resolution: 32 as const, seed: 42, lr: 0.0005, actions: 'g:3x3x16,res:16' };
    const hash = configToHash(c, DEFAULT_CONFIG);
    expect(hash).toMatch(/^#mode=dggan&data=mnist&res=32/);
    expect(configFromHash(hash, DEFAULT_CONFIG)).toEqual({ config: c, problems: [], found: true });
  });

  it('keeps the good settings of a partly bad hash', () => {
    const r = configFromHash('#seed=9&res=banana&data=mnist&colour=red', DEFAULT_CONFIG);
    expect(r.config).toEqual({ ...DEFAULT_CONFIG, seed: 9, dataset: 'mnist' });
    expect(r.problems).toHaveLength(2);
  });
});

describe('the bad-input corpus', () => {
  it('has at least 20 inputs of every kind the lab reads', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    expect(new Set(corpus.map((c) => c.kind))).toEqual(new Set(['upload', 'import', 'hash']));
  });

  for (const c of corpus)
    it(`${c.file}: ${c.kind} → /${c.message}/`, async () => {
      if (c.kind === 'import') expect(() => importRun(bytes(c.file))).toThrow(new RegExp(c.message));
      else if (c.kind === 'hash') {
        const r = configFromHash(readFileSync(join(DIR, c.file), 'utf8'), DEFAULT_CONFIG);
        expect(r.config).toEqual(DEFAULT_CONFIG);
        expect(r.problems.join('\n')).toMatch(new RegExp(c.message));
      } else {
        const r = await decodeUploads([{ name: c.file, bytes: bytes(c.file) }], { size: 32, minImages: 1 });
        expect(r.set).toBeNull();
        expect(r.problems[0]!.message).toMatch(new RegExp(c.message));
      }
    });
});

describe('recovery', () => {
  it('restarts a lost backend on the next one of the ladder', () => {
    expect(nextBackend('webgpu')).toBe('webgl');
    expect(nextBackend('webgl')).toBe('wasm');
    expect(nextBackend('wasm')).toBe('cpu');
    expect(nextBackend('cpu')).toBeNull();
  });
});

describe('storage errors', () => {
  it('a full quota says what to do; other errors keep their message', () => {
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    expect(explain(quota, 'the run could not be saved').message).toMatch(/storage for this site is full\. Delete old runs in the run library \(or export them first\)/);
    expect(explain(new Error('disk on fire'), 'the run could not be read').message).toBe('the run could not be read: disk on fire');
  });

  it('estimates a run record by its arrays', () => {
    expect(approximateBytes({ a: new Float32Array(100), b: [new Uint8Array(10)], c: 'xy' })).toBe(400 + 10 + 4);
  });
});
