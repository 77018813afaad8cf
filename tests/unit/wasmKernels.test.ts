import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/core/backend/wasmKernels';
import { lrelu } from '../../src/core/ops';
import { maxRelError, useBackend } from './helpers';

// [batch, height, width, inChannels, kernel, outChannels, stride, padding]
const CASES: [number, number, number, number, number, number, number, 'same' | 'valid'][] = [
  [2, 8, 8, 3, 3, 4, 1, 'same'],
  [3, 9, 7, 5, 5, 6, 1, 'valid'],
  [2, 16, 16, 8, 3, 8, 2, 'same'],
  [1, 8, 8, 2, 1, 3, 1, 'same'],
  [2, 10, 10, 4, 3, 5, 2, 'valid'],
  [4, 4, 4, 17, 3, 9, 1, 'same'],
  [2, 12, 12, 6, 5, 4, 3, 'same'],
];

function convGrads(x: number[], w: number[], c: (typeof CASES)[number]) {
  const [n, h, wd, ci, k, co, s, pad] = c;
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad)));
  return tf.tidy(() => {
    const [dx, dw] = tf.grads(f)([tf.tensor4d(x, [n, h, wd, ci]), tf.tensor4d(w, [k, k, ci, co])]);
    return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

describe('GrowLab wasm kernels', () => {
  it('registers the missing filter gradient once', async () => {
    await useBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(registerWasmKernels()).toEqual([]);
  });

  it.each(CASES)('conv gradients match cpu: %i×%i×%i×%i, k%i→%i, stride %i, %s', async (...c) => {
    const [n, h, wd, ci, k, co] = c;
    const x = Array.from({ length: n * h * wd * ci }, (_, i) => Math.sin(i * 1.3));
    const w = Array.from({ length: k * k * ci * co }, (_, i) => Math.cos(i * 0.7));
    await useBackend('cpu');
    const [dxCpu, dwCpu] = convGrads(x, w, c);
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const [dxWasm, dwWasm] = convGrads(x, w, c);
    expect(maxRelError(dxCpu!, dxWasm!)).toBeLessThan(1e-4);
    expect(maxRelError(dwCpu!, dwWasm!)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Runs `f` on cpu and on wasm with the same inputs; returns both results as flat arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = () =>
    tf.tidy(() => {
      const r = f();
      return (Array.isArray(r) ? r : [r]).map((t) => t.dataSync() as Float32Array);
    });
  await useBackend('cpu');
  const cpu = run();
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const wasm = run();
  expect(tf.memory().numTensors).toBe(before);
  return [cpu, wasm];
}

const input = (shape: number[], seed: number) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37 + seed)), shape);

describe('GrowLab gradient kernels match cpu', () => {
  it.each([
    ['avgPool 2×2 gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'))))(input([3, 8, 6, 5], 1))],
    ['avgPool 4×4 gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 4, 4, 'valid'))))(input([2, 8, 8, 3], 2))],
    ['avgPool 3×3/2 gradient (stock fallback)', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'))))(input([2, 7, 7, 3], 3))],
    ['nearest ×2 upsampling gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 10]))))(input([2, 4, 5, 3], 4))],
    ['nearest ×4 upsampling gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [16, 16]))))(input([1, 4, 4, 2], 5))],
    ['sum over leading axes (bias gradient)', () => [tf.sum(input([4, 5, 6, 7], 6), [0, 1, 2]), tf.sum(input([4, 5, 6, 7], 7), [1, 0], true)]],
    ['sum over other axes (stock fallback)', () => [tf.sum(input([4, 5, 6], 8), [1]), tf.sum(input([4, 5, 6], 9))]],
    ['leaky ReLU gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.leakyRelu(x, 0.2))))(input([3, 4, 4, 5], 10))],
    [
      'second derivative through leaky ReLU and avgPool (WGAN-GP)',
      () => {
        const w = input([3, 3, 2, 4], 11);
        const critic = (x: tf.Tensor) => tf.sum(tf.avgPool(tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), 0.2), 2, 2, 'valid'));
        const penalty = (wt: tf.Tensor) => {
          const inner = (x: tf.Tensor) => tf.sum(tf.avgPool(tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same'), 0.2), 2, 2, 'valid'));
          return tf.sum(tf.square(tf.grad(inner)(input([2, 6, 6, 2], 12))));
        };
        return [tf.grad(critic)(input([2, 6, 6, 2], 12)), tf.grad(penalty)(w)];
      },
    ],
  ] as const)('%s', async (_name, f) => {
    const [cpu, wasm] = await onBoth(f);
    cpu.forEach((c, i) => expect(maxRelError(c, wasm[i]!)).toBeLessThan(1e-4));
  });
});

describe('nearest-upsampling gradient', () => {
  it.each(['cpu', 'wasm'] as const)('equals the 2×2 block sums on %s for every image of a batch', async (backend) => {
    await useBackend(backend);
    const dy = Array.from({ length: 2 * 8 * 10 * 3 }, (_, i) => (i % 7) - 3);
    const want = new Float32Array(2 * 4 * 5 * 3);
    for (let b = 0; b < 2; b++)
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 10; x++)
          for (let c = 0; c < 3; c++) want[((b * 4 + (y >> 1)) * 5 + (x >> 1)) * 3 + c]! += dy[((b * 8 + y) * 10 + x) * 3 + c]!;
    const got = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 10]), tf.tensor4d(dy, [2, 8, 10, 3]))))(tf.zeros([2, 4, 5, 3])).dataSync(),
    );
    expect(Array.from(got)).toEqual(Array.from(want));
    await useBackend('wasm');
  });
});

describe("GrowLab's leaky ReLU", () => {
  it('matches tfjs leakyRelu in value, gradient and the WGAN-GP second derivative', async () => {
    const w = input([3, 3, 2, 4], 13);
    const x = input([2, 6, 6, 2], 14);
    const penaltyGrad = (act: (t: tf.Tensor) => tf.Tensor) =>
      tf.grad((wt: tf.Tensor) => {
        const critic = (v: tf.Tensor) => tf.sum(tf.avgPool(act(tf.conv2d(v as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same')) as tf.Tensor4D, 2, 2, 'valid'));
        return tf.sum(tf.square(tf.grad(critic)(x)));
      })(w);
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const [ours, stock] = tf.tidy(() =>
        [lrelu, (t: tf.Tensor) => tf.leakyRelu(t, 0.2)].map((act) => [
          act(x).dataSync() as Float32Array,
          tf.grad((t: tf.Tensor) => tf.sum(tf.square(act(t))))(x).dataSync() as Float32Array,
          penaltyGrad(act).dataSync() as Float32Array,
        ]),
      );
      ours!.forEach((v, i) => expect(maxRelError(stock![i]!, v)).toBeLessThan(1e-5));
    }
  });
});
