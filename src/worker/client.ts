/**
 * UI-side handle on the engine worker. One worker per page, created lazily.
 */
import * as Comlink from 'comlink';
import type { EngineApi } from './protocol';

export type EngineClient = Comlink.Remote<EngineApi>;

interface Engine {
  worker: Worker;
  api: EngineClient;
  /** Rejects if the worker script fails to load or throws at top level. */
  failed: Promise<never>;
}

let engine: Engine | null = null;

/** Who wants to hear that the worker died (an uncaught error, or a script that failed to load). */
const crashListeners = new Set<(message: string) => void>();

/** Calls `listener` when the engine worker dies; returns the unsubscribe function. */
export function onEngineCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

function createEngine(): Engine {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'growlab-engine',
  });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message = event.message || 'script error';
      reject(new Error(`The engine worker failed to start: ${message}`));
      for (const listener of crashListeners) listener(`the engine worker crashed (${message})`);
    });
    worker.addEventListener('messageerror', () => {
      reject(new Error('The engine worker sent a message that could not be read'));
    });
  });
  // Nobody may be listening yet; avoid an unhandled-rejection report.
  failed.catch(() => undefined);
  return { worker, api: Comlink.wrap<EngineApi>(worker), failed };
}

export function getEngine(): EngineClient {
  engine ??= createEngine();
  return engine.api;
}

/**
 * Call the worker, but fail fast if the worker itself dies, and after `timeoutMs`.
 */
export function callEngine<T>(call: (api: EngineClient) => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  engine ??= createEngine();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  return Promise.race([call(engine.api), engine.failed, timeout]).finally(() => clearTimeout(timer));
}

/** Terminate the worker (tests, hot reload); the next call starts a fresh one. */
export function terminateEngine(): void {
  if (!engine) return;
  engine.api[Comlink.releaseProxy]();
  engine.worker.terminate();
  engine = null;
}

/** `?backend=wasm` in the page URL forces a backend (used by the e2e tests). */
export function requestedBackendFromUrl(search: string = globalThis.location?.search ?? ''): string | undefined {
  const value = new URLSearchParams(search).get('backend');
  return value?.trim() ? value.trim() : undefined;
}
