/**
 * The typed API between the UI thread and the engine worker (exposed with comlink).
 *
 * Only plain, structured-cloneable data crosses this boundary: the UI never sees a
 * tensor. Training commands join this interface in later issues.
 */

import type { BackendName } from '../core/backend/initBackend';

import type { BenchRow } from '../core/bench/cases';
import type { GrowthCheck } from '../core/bench/growthCheck';

export type { BenchRow } from '../core/bench/cases';
export type { GrowthCheck } from '../core/bench/growthCheck';
export { BACKEND_NAMES, isBackendName, type BackendName } from '../core/backend/initBackend';

/** What the worker reports about the backend it started. */
export interface BackendInfo {
  /** The active tfjs backend. */
  backend: BackendName;
  /** Human-readable description of the device behind it (GPU adapter, renderer, wasm features). */
  adapter: string;
  /** True when a GPU backend runs on a software rasteriser/adapter (e.g. SwiftShader). */
  software: boolean;
  /** Compute threads used by the backend (wasm/XNNPACK threads; 1 for the others). */
  threads: number;
  /** One line per backend tried or skipped, in order, e.g. "webgpu: skipped (software adapter)". */
  attempts: string[];
}

export interface InitOptions {
  /**
   * Force one backend by name ('webgpu' | 'webgl' | 'wasm' | 'cpu'). When given, only that
   * backend is tried and init fails if it cannot start. Unset: the automatic ladder.
   */
  backend?: string;
}

export interface BenchOptions {
  /** Case ids of src/core/bench/cases.ts ('reference', 'lab4' … 'lab32'). */
  cases: string[];
  /** Timed steps per case (after 2 warm-up steps). */
  steps: number;
}

export interface EngineApi {
  /** Start (or return the already started) tfjs backend. Rejects with a readable message. */
  init(opts: InitOptions): Promise<BackendInfo>;
  /** Times training steps on the active backend (`npm run bench:browser`). */
  benchmark(opts: BenchOptions): Promise<BenchRow[]>;
  /** Trains a tiny GAN through a few growths on the active backend (browser tests). */
  growthCheck(): Promise<GrowthCheck>;
  /** Liveness check: resolves to 'pong'. */
  ping(): Promise<'pong'>;
}
