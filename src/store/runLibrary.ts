/**
 * The run library in IndexedDB (through idb-keyval): one record per run — its settings, what the
 * page shows (losses, metrics, gallery, search tree) and the newest engine checkpoint (genome,
 * weights, optimizer state, search history) — plus a small index for listing without loading
 * weights. Plain data only: typed arrays are stored as they are.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { isActiveStatus } from '../worker/labConfig';
import type { LabCheckpoint, RunConfig, RunStatus } from '../worker/protocol';
import type { MetricsSlice } from './metricsSlice';
import type { RunState } from './runSlice';
import type { SamplesState } from './samplesSlice';
import type { SearchState } from './searchSlice';

export const SAVED_RUN_VERSION = 1;

export interface SavedRunMeta {
  id: string;
  name: string;
  createdAt: number;
  savedAt: number;
  mode: RunConfig['mode'];
  dataset: RunConfig['dataset'];
  resolution: number;
  images: number;
  /** Finished stages. */
  stages: number;
  /** The run's status when it was saved: starting/running/paused mean it was interrupted. */
  status: RunStatus;
  /** Approximate size in storage. */
  bytes: number;
}

/** What the page shows of a run, as saved (no checkpoint: that is stored beside it). */
export interface SavedState {
  run: Omit<RunState, 'checkpoint'>;
  metrics: MetricsSlice['metrics'];
  samples: SamplesState;
  search: SearchState;
}

export interface SavedRun {
  app: 'growlab';
  version: number;
  meta: SavedRunMeta;
  config: RunConfig;
  state: SavedState;
  checkpoint: LabCheckpoint | null;
}

export class LibraryError extends Error {
  override name = 'LibraryError';
}

let stores: { meta: UseStore; runs: UseStore } | null = null;
function db() {
  if (typeof indexedDB === 'undefined') throw new LibraryError('this browser offers no IndexedDB (private mode?): runs cannot be saved');
  stores ??= { meta: createStore('growlab-library', 'meta'), runs: createStore('growlab-runs', 'runs') };
  return stores;
}

/** Bytes of the typed arrays in a value, plus a rough allowance for the rest. */
export function approximateBytes(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return typeof value === 'string' ? value.length * 2 : 8;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let n = 0;
  for (const v of Object.values(value)) n += approximateBytes(v, seen);
  return n;
}

/** A storage failure in words people can act on (a full quota above all). */
export function explain(e: unknown, what: string): LibraryError {
  const name = (e as { name?: string })?.name;
  if (name === 'QuotaExceededError')
    return new LibraryError(`${what}: the browser's storage for this site is full. Delete old runs in the run library (or export them first) and training will be saved again.`);
  return new LibraryError(`${what}: ${(e as Error)?.message ?? String(e)}`);
}

export async function saveRun(run: SavedRun): Promise<void> {
  const { meta, runs } = db();
  try {
    await set(run.meta.id, run, runs);
    await set(run.meta.id, run.meta, meta);
  } catch (e) {
    throw explain(e, 'the run could not be saved');
  }
}

export async function loadRun(id: string): Promise<SavedRun> {
  let run: SavedRun | undefined;
  try {
    run = await get<SavedRun>(id, db().runs);
  } catch (e) {
    throw explain(e, 'the run could not be read');
  }
  if (!run) throw new LibraryError('that run is no longer in the library (deleted in another tab?)');
  return run;
}

/** Every saved run, newest first. */
export async function listRuns(): Promise<SavedRunMeta[]> {
  try {
    const all = await entries<string, SavedRunMeta>(db().meta);
    return all.map(([, m]) => m).sort((a, b) => b.savedAt - a.savedAt);
  } catch (e) {
    throw explain(e, 'the run library could not be read');
  }
}

export async function renameRun(id: string, name: string): Promise<void> {
  const clean = name.trim().slice(0, 120);
  if (!clean) throw new LibraryError('a run needs a name');
  const run = await loadRun(id);
  await saveRun({ ...run, meta: { ...run.meta, name: clean } });
}

export async function deleteRun(id: string): Promise<void> {
  const { meta, runs } = db();
  try {
    await del(id, runs);
    await del(id, meta);
  } catch (e) {
    throw explain(e, 'the run could not be deleted');
  }
}

/** Storage this site uses and may use, when the browser says. */
export async function storageUse(): Promise<{ usage: number; quota: number } | null> {
  const est = await globalThis.navigator?.storage?.estimate?.().catch(() => null);
  return est && est.usage !== undefined && est.quota !== undefined ? { usage: est.usage, quota: est.quota } : null;
}

/** Whether a saved run stopped in the middle (the page was closed or crashed while it trained). */
export const wasInterrupted = (m: SavedRunMeta) => isActiveStatus(m.status);
