import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWasmKernels } from '../../src/core/backend/wasmKernels';
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
