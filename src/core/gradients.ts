/**
 * Gradients tfjs lacks, so that WGAN-GP can differentiate D's input gradient once more.
 * Registered once, for every backend, on import.
 *
 * - Comparisons (LeakyReLU's mask) are flat almost everywhere: their gradient is zero.
 * - AvgPoolGrad is linear in dy: its gradient is AvgPool with the same window (the adjoint of
 *   the adjoint), and zero with respect to the pooled input.
 */
import * as tf from '@tensorflow/tfjs';

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
