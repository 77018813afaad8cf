import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAction, completeFade, DEFAULT_SPACE, parseActions, type GrowthAction } from '../../src/core/actions';
import { createBaseGenome, resolutionOf, type Genome } from '../../src/core/genome';
import { discriminate, generate } from '../../src/core/model';
import { avgpool2, upsample2 } from '../../src/core/ops';
import { disposeParams, inheritParams, initParams } from '../../src/core/params';
import { Rng } from '../../src/core/rng';
import { maxRelError, useBackend, values } from './helpers';

const space = { ...DEFAULT_SPACE, maxResolution: 32, minWidth: 4 };

/** Starting points at several depths and resolutions (fades completed). */
const PARENTS: Record<string, string> = {
  'base 4×4': '',
  'deeper G at 4×4': 'g:3x3x16',
  '8×8': 'res:8',
  '16×16, asymmetric': 'res:8,d:3x3x4,res:16/8,g:5x5x8',
};

const ACTIONS: GrowthAction[] = [
  { kind: 'g', kernel: 3, width: 8 },
  { kind: 'g', kernel: 1, width: 16 },
  { kind: 'd', kernel: 3, width: 8 },
  { kind: 'd', kernel: 1, width: 4 },
  { kind: 'res', gWidth: 8, dWidth: 8 },
  { kind: 'res', gWidth: 16, dWidth: 4 },
];

function build(actions: string): Genome {
  return parseActions(actions).reduce((g, a) => completeFade(applyAction(g, a, space)), createBaseGenome({ channels: 3, latent: 8, width: 8 }));
}

describe('fade-in preserves the parent function at α = 0', () => {
  beforeAll(() => useBackend('wasm'));

  it('builds G and D with the shapes the genome describes', () => {
    const genome = build('res:8,d:3x3x4,res:16/8,g:5x5x8');
    const rng = new Rng(1);
    const params = initParams(genome, rng);
    const z = tf.tensor2d(rng.normals(5 * 8), [5, 8]);
    const img = generate(genome, params, z);
    expect(img.shape).toEqual([5, 16, 16, 3]);
    const score = discriminate(genome, params, img);
    expect(score.shape).toEqual([5, 1]);
    expect(Array.from(score.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([z, img, score]);
    disposeParams(params);
  });

  for (const [label, path] of Object.entries(PARENTS))
    for (const action of ACTIONS) {
      it(`${label} + ${action.kind}:${JSON.stringify(action)}`, () => {
        const parent = build(path);
        const child = applyAction(parent, action, space);
        const rng = new Rng(7);
        const pp = initParams(parent, rng);
        const cp = inheritParams(child, rng, pp);
        const before = tf.memory().numTensors;
        const res = resolutionOf(child);
        const z = tf.tensor2d(rng.normals(6 * 8), [6, 8]);
        const img = tf.tensor4d(rng.normals(6 * res * res * 3), [6, res, res, 3]);
        const isRes = action.kind === 'res';

        // G: the child's images equal the parent's (upsampled ×2 after a resolution growth).
        const parentImg = tf.tidy(() => {
          const x = generate(parent, pp, z);
          return isRes ? upsample2(x) : x;
        });
        const want = values(parentImg);
        expect(maxRelError(want, values(generate(child, cp, z, 0)))).toBeLessThanOrEqual(1e-5);
        // D: the child's scores on real-resolution images equal the parent's on pooled ones.
        const parentIn = tf.tidy(() => (isRes ? avgpool2(img) : img.clone()));
        const wantD = values(discriminate(parent, pp, parentIn));
        parentIn.dispose();
        expect(maxRelError(wantD, values(discriminate(child, cp, img, 0)))).toBeLessThanOrEqual(1e-5);

        // After the fade the new layers change the output of the network they were added to.
        const gChanged = maxRelError(want, values(generate(child, cp, z, 1))) > 1e-3;
        const dChanged = maxRelError(wantD, values(discriminate(child, cp, img, 1))) > 1e-3;
        if (action.kind !== 'd') expect(gChanged).toBe(true);
        if (action.kind !== 'g') expect(dChanged).toBe(true);

        tf.dispose([z, img]);
        expect(tf.memory().numTensors).toBe(before);
        disposeParams(pp);
        disposeParams(cp);
      });
    }
});
