import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from './wasmKernels';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Switches tfjs to `name` and proves it initialised: `tf.setBackend` resolves to false on failure
 * (leaving `tf.getBackend()` naming the failed backend) and can hang, so both are checked.
 */
export async function initBackend(name: BackendName, timeoutMs = 20_000): Promise<void> {
  if (name === 'wasm') registerWasmKernels();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const ok = await Promise.race([tf.setBackend(name), timeout]);
    if (ok === 'timeout') throw new Error(`backend '${name}' did not initialise within ${timeoutMs} ms`);
    if (!ok) throw new Error(`backend '${name}' failed to initialise`);
    await tf.ready();
    if (tf.getBackend() !== name) throw new Error(`backend '${name}' requested but '${tf.getBackend()}' is active`);
  } finally {
    clearTimeout(timer);
  }
}
