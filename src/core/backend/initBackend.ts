import * as tf from '@tensorflow/tfjs';
import '../gradients';
import { registerCpuKernels } from './cpuKernels';
import { registerWasmKernels } from './wasmKernels';

import { BACKEND_NAMES, isBackendName, type BackendName } from './names';

export { BACKEND_NAMES, isBackendName, type BackendName };

/** Resolves with `promise`, or rejects after `ms` (the promise itself keeps running). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Switches tfjs to `name` and proves it initialised: `tf.setBackend` resolves to false on failure
 * (leaving `tf.getBackend()` naming the failed backend) and can hang, so both are checked.
 * On wasm, GrowLab's own kernels are registered (the stock backend cannot train a conv GAN); on
 * cpu, a fix for its nearest-upsampling gradient.
 */
export async function initBackend(name: BackendName, timeoutMs = 20_000): Promise<void> {
  if (name === 'wasm') registerWasmKernels();
  if (name === 'cpu') registerCpuKernels();
  const ok = await withTimeout(tf.setBackend(name), timeoutMs, `setBackend('${name}')`);
  if (!ok) throw new Error(`backend '${name}' failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`backend '${name}' requested but '${tf.getBackend()}' is active`);
}
