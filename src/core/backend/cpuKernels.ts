/**
 * A fix for tfjs's cpu backend: its ResizeNearestNeighborGrad (4.22.0) offsets dy by the *input's*
 * batch stride, so every image after the first gets a wrong gradient. GrowLab's replacement handles
 * integer upscaling factors (all the model uses) and leaves other cases to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { blockLoop } from './blockLoop';

type CpuBackend = Parameters<KernelFunc>[0]['backend'] & {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
};

export function registerCpuKernels(): string[] {
  const stock = tf.getKernel('ResizeNearestNeighborGrad', 'cpu') as (KernelConfig & { growlab?: true }) | undefined;
  if (!stock || stock.growlab) return [];
  tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  const kernelFunc: KernelFunc = (args) => {
    const b = args.backend as CpuBackend;
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
    const s = dy.shape[1]! / images.shape[1]!;
    if (alignCorners || halfPixelCenters || !Number.isInteger(s) || dy.shape[2] !== images.shape[2]! * s) return stock.kernelFunc(args);
    const out = new Float32Array(images.shape.reduce((p, q) => p * q, 1));
    blockLoop(out, b.data.get(dy.dataId).values, images.shape, s, 1, true);
    return b.makeTensorInfo(images.shape, 'float32', out);
  };
  const config: KernelConfig & { growlab: true } = { kernelName: 'ResizeNearestNeighborGrad', backendName: 'cpu', kernelFunc, growlab: true };
  tf.registerKernel(config);
  return ['ResizeNearestNeighborGrad'];
}
