import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend, type BackendName } from '../../src/core/backend/initBackend';

/** Engine tests run on tfjs's wasm backend (with GrowLab's kernels) unless told otherwise. */
export async function useBackend(name: BackendName = 'wasm'): Promise<void> {
  tf.env().set('PROD', true);
  await initBackend(name);
}

/** max |a − b| / max |a|, over all elements. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / (scale || 1);
}

export function values(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}
