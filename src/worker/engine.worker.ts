/**
 * The engine worker: owns tfjs and every tensor. The UI talks to it only through the
 * comlink-exposed `EngineApi` (see protocol.ts).
 */
import * as Comlink from 'comlink';
import { startBackend } from './backend';
import { CASE_IDS, runCase, type CaseId } from '../core/bench/cases';
import { growthCheck } from '../core/bench/growthCheck';
import type { FeatureNet } from '../core/metrics/featureNet';
import { loadFeatureNet } from '../core/metrics/featureNets';
import { hasFeatureNet, loadLabDataset, setUpload } from './datasets';
import { LabRun } from './labRun';
import type { BackendInfo, BenchOptions, BenchRow, EngineApi, GrowthCheck, InitOptions, LabCheckpoint, RunConfig, RunEvent, RunEventListener, StepKind, UploadSummary } from './protocol';

let started: { key: string; info: Promise<BackendInfo> } | null = null;
/** The training run, if any (one at a time). */
let run: LabRun | null = null;
/** Feature networks, loaded once per data set and kept (they are small). */
const featureNets = new Map<string, Promise<FeatureNet>>();

function featureNet(dataset: string): Promise<FeatureNet> {
  let net = featureNets.get(dataset);
  if (!net) {
    net = loadFeatureNet(dataset);
    featureNets.set(dataset, net);
    net.catch(() => featureNets.delete(dataset));
  }
  return net;
}

/** Sends an event through the page's proxied callback; a page that has gone away is ignored. */
function sender(onEvent: RunEventListener) {
  return (event: RunEvent, transfer: Transferable[] = []) => {
    const message = transfer.length > 0 ? Comlink.transfer(event, transfer) : event;
    void Promise.resolve(onEvent(message) as unknown).catch(() => undefined);
  };
}

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

  setUpload(files: { name: string; bytes: ArrayBuffer }[]): Promise<UploadSummary> {
    return setUpload(files.map((f) => ({ name: String(f.name), bytes: new Uint8Array(f.bytes) })));
  },

  async growthCheck(): Promise<GrowthCheck> {
    if (!started) throw new Error('start a backend (init) before training');
    await started.info;
    return growthCheck();
  },

  ping(): Promise<'pong'> {
    return Promise.resolve('pong');
  },

  async startRun(config: RunConfig, onEvent: RunEventListener, resume?: LabCheckpoint): Promise<void> {
    if (!started) throw new Error('start a backend (init) before training');
    await started.info;
    if (run) {
      const old = run;
      run = null;
      await old.stop();
    }
    const next = new LabRun(config, sender(onEvent), {
      featureNet: () => (hasFeatureNet(config.dataset) ? featureNet(config.dataset) : Promise.resolve(null)),
      loadData: loadLabDataset,
      ...(resume ? { resume } : {}),
    });
    next.start(); // throws (rejecting this call) when the config is not valid
    run = next;
  },

  pause(): Promise<void> {
    run?.pause();
    return Promise.resolve();
  },

  resume(): Promise<void> {
    run?.resume();
    return Promise.resolve();
  },

  stepOnce(kind: StepKind): Promise<void> {
    run?.stepOnce(kind);
    return Promise.resolve();
  },

  async stopRun(): Promise<void> {
    await run?.stop();
  },

  debugFault(kind: 'non-finite' | 'device-lost' | 'crash'): Promise<void> {
    if (kind === 'crash')
      setTimeout(() => {
        throw new Error('simulated crash (test hook)');
      });
    else run?.injectFault(kind);
    return Promise.resolve();
  },
};

Comlink.expose(api);
