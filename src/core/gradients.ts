/**
 * Gradients tfjs lacks, so that WGAN-GP can differentiate D's input gradient once more, and a
 * fused LeakyReLU gradient. Registered once, for every backend, on import.
 *
 * - Comparisons (LeakyReLU's mask) are flat almost everywhere: their gradient is zero.
 * - AvgPoolGrad is linear in dy: its gradient is AvgPool with the same window (the adjoint of
 *   the adjoint), and zero with respect to the pooled input.
 * - LeakyReLU's gradient, dy·(x > 0 ? 1 : α), runs as one kernel (`GrowLabLeakyReluGrad`)
 *   where a backend has it (wasm, cpu: see wasmKernels.ts) instead of Greater + Multiply +
 *   Select; its own gradient is the same mask applied to the incoming gradient.
 */
import * as tf from '@tensorflow/tfjs';

export const LEAKY_RELU_GRAD = 'GrowLabLeakyReluGrad';

for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual']) {
  if (!tf.getGradient(kernelName))
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) }),
    });
}

if (!tf.getGradient('AvgPoolGrad'))
  tf.registerGradient({
    kernelName: 'AvgPoolGrad',
    inputsToSave: ['input'],
    gradFunc: (ddx, saved, attrs) => {
      const { filterSize, strides, pad } = attrs as unknown as {
        filterSize: [number, number] | number;
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number;
      };
      return {
        dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, pad),
        input: () => tf.zerosLike(saved[0]!),
      };
    },
  });

/** dy·(x > 0 ? 1 : α), fused where the active backend has the kernel. */
export function leakyReluGrad(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  if (tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend()))
    return tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha }) as tf.Tensor;
  return tf.where(tf.greater(x, 0), dy, tf.mul(dy, alpha));
}

tf.registerGradient({
  kernelName: 'LeakyRelu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const alpha = (attrs as unknown as { alpha: number }).alpha;
    return { x: () => leakyReluGrad(dy as tf.Tensor, saved[0]!, alpha) };
  },
});

tf.registerGradient({
  kernelName: LEAKY_RELU_GRAD,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved, attrs) => {
    const alpha = (attrs as unknown as { alpha: number }).alpha;
    return { dy: () => leakyReluGrad(ddx as tf.Tensor, saved[0]!, alpha), x: () => tf.zerosLike(saved[0]!) };
  },
});
