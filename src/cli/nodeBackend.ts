/** tfjs in Node: the wasm backend (with GrowLab's kernels) or the pure-JS cpu backend. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend, type BackendName } from '../core/backend/initBackend';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const satisfies readonly BackendName[];
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export interface BackendInfo {
  backend: NodeBackend;
  threads: number;
  simd: boolean;
}

export async function useNodeBackend(name: NodeBackend): Promise<BackendInfo> {
  // Quiet tfjs's "install tfjs-node" banner: that package downloads a binary at install time.
  tf.env().set('PROD', true);
  const before = new Set([...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')]);
  await initBackend(name);
  // Emscripten's runtime (wasm) adds process handlers that rethrow, so Node prints the whole
  // minified module as the failing "source line". Drop them; the CLI reports errors itself.
  for (const l of process.listeners('uncaughtException')) if (!before.has(l)) process.removeListener('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection')) if (!before.has(l)) process.removeListener('unhandledRejection', l);
  return {
    backend: name,
    threads: 1, // tfjs never threads wasm in Node, and cpu is single-threaded JavaScript.
    simd: name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false,
  };
}
