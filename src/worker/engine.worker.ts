/**
 * The engine worker: owns tfjs and every tensor. The UI talks to it only through the
 * comlink-exposed `EngineApi` (see protocol.ts).
 */
import * as Comlink from 'comlink';
import { startBackend } from './backend';
import { CASE_IDS, runCase, type CaseId } from '../core/bench/cases';
import { growthCheck } from '../core/bench/growthCheck';
import type { BackendInfo, BenchOptions, BenchRow, EngineApi, GrowthCheck, InitOptions } from './protocol';

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

  async benchmark({ cases, steps }: BenchOptions): Promise<BenchRow[]> {
    if (!started) throw new Error('start a backend (init) before benchmarking');
    await started.info;
    const rows: BenchRow[] = [];
    for (const id of cases) {
      if (!(CASE_IDS as readonly string[]).includes(id)) throw new Error(`unknown benchmark case '${id}'`);
      rows.push(await runCase(id as CaseId, steps));
    }
    return rows;
  },

  async growthCheck(): Promise<GrowthCheck> {
    if (!started) throw new Error('start a backend (init) before training');
    await started.info;
    return growthCheck();
  },

  ping(): Promise<'pong'> {
    return Promise.resolve('pong');
  },
};

Comlink.expose(api);
