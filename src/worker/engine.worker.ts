/**
 * The engine worker: owns tfjs and every tensor. The UI talks to it only through the
 * comlink-exposed `EngineApi` (see protocol.ts).
 */
import * as Comlink from 'comlink';
import { startBackend } from './backend';
import type { BackendInfo, EngineApi, InitOptions } from './protocol';

let started: { key: string; info: Promise<BackendInfo> } | null = null;

const api: EngineApi = {
  init(opts: InitOptions): Promise<BackendInfo> {
    const key = opts.backend?.trim().toLowerCase() ?? '';
    // Repeated init with the same request (e.g. React StrictMode) reuses the first start;
    // a failed start may be retried.
    if (started && started.key === key) return started.info;
    const info = startBackend({ backend: key || undefined });
    started = { key, info };
    info.catch(() => {
      if (started?.info === info) started = null;
    });
    return info;
  },

  ping(): Promise<'pong'> {
    return Promise.resolve('pong');
  },
};

Comlink.expose(api);
