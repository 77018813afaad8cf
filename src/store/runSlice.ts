import * as Comlink from 'comlink';
import type { StateCreator } from 'zustand';
import { configProblem, isActiveStatus, MODE_LABELS } from '../worker/labConfig';
import { callEngine, onEngineCrash, terminateEngine, type EngineClient } from '../worker/client';
import { approximateBytes, loadRun, SAVED_RUN_VERSION, saveRun, type SavedRun, type SavedRunMeta } from './runLibrary';
import { BACKEND_NAMES, type LabCheckpoint, type ModelView, type RunConfig, type RunEvent, type RunStatus, type StageSummary, type StepKind } from '../worker/protocol';
import { EMPTY_METRICS } from './metricsSlice';
import { applyRunEvent, rewindTo } from './runEvents';
import { EMPTY_SAMPLES } from './samplesSlice';
import { EMPTY_SEARCH } from './searchSlice';
import type { AppState } from './types';

/** One point of the loss chart: means over the steps it stands for. */
export interface LossSample {
  images: number;
  dLoss: number;
  gLoss: number;
  penalty?: number;
  /** Training steps merged into this point. */
  steps: number;
}

/** One growth of the run: what was added, when, and why. */
export interface GrowthEntry {
  stage: number;
  images: number;
  action: string;
  resolution: number;
  reason: string;
}

export interface RunState {
  status: RunStatus;
  error: string | null;
  /** What the worker does besides training steps ("measuring stage 2…"); empty while training. */
  activity: string;
  /** The settings of the run on screen. */
  config: RunConfig | null;
  dataset: { name: string; count: number; size: number; channels: number } | null;
  plannedStages: number | null;
  plannedImages: number;
  images: number;
  imagesPerSecond: number;
  stage: number;
  resolution: number;
  alpha: number;
  losses: LossSample[];
  stages: StageSummary[];
  model: ModelView | null;
  growths: GrowthEntry[];
  /** A step taken halfway while paused: D has updated, G's update comes next. */
  halfStep: { half: 'D'; loss: number } | null;
  /** The last half step taken, for the controls' read-out. */
  lastHalf: { half: 'D' | 'G'; loss: number } | null;
  /** Where the run can continue from (the newest checkpoint the engine sent). */
  checkpoint: LabCheckpoint | null;
  /** Things that happened to the run besides growth (rollbacks, restarts), for the timeline. */
  notes: RunNote[];
}

/** A fault the lab recovered from, shown in the growth timeline. */
export interface RunNote {
  images: number;
  text: string;
}

export interface RunSlice {
  run: RunState;
  /** The library id of the run on screen (null before the first run). */
  runId: string | null;
  runCreatedAt?: number;
  startRun: () => Promise<void>;
  /** Shows a saved run; with `continueTraining`, resumes it from its last checkpoint. */
  openSaved: (id: string, continueTraining: boolean) => Promise<void>;
  pauseRun: () => Promise<void>;
  resumeRun: () => Promise<void>;
  stepRun: (kind: StepKind) => Promise<void>;
  stopRun: () => Promise<void>;
}

export const EMPTY_RUN: RunState = {
  status: 'idle',
  error: null,
  activity: '',
  config: null,
  dataset: null,
  plannedStages: null,
  plannedImages: 0,
  images: 0,
  imagesPerSecond: 0,
  stage: 0,
  resolution: 4,
  alpha: 1,
  losses: [],
  stages: [],
  model: null,
  halfStep: null,
  lastHalf: null,
  checkpoint: null,
  notes: [],
  growths: [],
};

const CALL_TIMEOUT_MS = 60_000;

/** Events of older runs still in flight are dropped. */
let currentRun = 0;

/** The next backend of the ladder after `name` fails (GPU device lost, context lost). */
export function nextBackend(name: string | undefined): string | null {
  const i = BACKEND_NAMES.findIndex((b) => b === name);
  return i >= 0 && i < BACKEND_NAMES.length - 1 ? BACKEND_NAMES[i + 1]! : null;
}

/** Errors after which the same backend is not worth retrying. */
const BACKEND_LOST = /device (was )?lost|context (was )?lost|CONTEXT_LOST|worker (failed|crashed|did not answer)/i;

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  const command = async (call: (api: EngineClient) => Promise<void>, what: string) => {
    try {
      await callEngine(call, CALL_TIMEOUT_MS, what);
    } catch (e) {
      set((s) => ({ run: { ...s.run, error: e instanceof Error ? e.message : String(e) } }));
    }
  };

  /** Saves are chained, so an older save never lands after a newer one. */
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    const s = get();
    if (!s.runId) return;
    const record = toSavedRun(s);
    saving = saving
      .then(() => saveRun(record))
      .then(() => {
        if (get().library.saveError) set((st) => ({ library: { ...st.library, saveError: null } }));
        void get().refreshLibrary();
      })
      .catch((e: unknown) => set((st) => ({ library: { ...st.library, saveError: e instanceof Error ? e.message : String(e) } })));
  };

  /** Starts the engine on `config`, fresh or from a checkpoint; events flow into the store. */
  const launch = async (config: RunConfig, resume: LabCheckpoint | null) => {
    const token = ++currentRun;
    const onEvent = (event: RunEvent) => {
      if (token !== currentRun) return;
      set((s) => applyRunEvent(s, event));
      if (event.type === 'checkpoint' || (event.type === 'status' && event.status !== 'running' && event.status !== 'starting')) save();
      if (event.type === 'status' && event.status === 'failed') void recover(event.error ?? '');
    };
    try {
      await callEngine((api) => api.startRun(config, Comlink.proxy(onEvent), resume ?? undefined), CALL_TIMEOUT_MS, 'Starting the run');
    } catch (e) {
      if (token !== currentRun) return;
      const message = e instanceof Error ? e.message : String(e);
      set((s) => ({ run: { ...s.run, status: 'failed', error: message } }));
      void recover(message);
    }
  };

  /**
   * A lost GPU device or a dead worker: restart the engine on the next backend of the ladder and
   * continue from the last checkpoint, saying so in the timeline.
   */
  const recover = async (error: string) => {
    const s = get();
    const checkpoint = s.run.checkpoint;
    const next = nextBackend(s.backend.info?.backend);
    if (!BACKEND_LOST.test(error) || !next || !s.run.config) return;
    const from = checkpoint ? `from the checkpoint at ${checkpoint.images.toLocaleString('en-US')} images` : 'from the start (no stage had finished)';
    const note = { images: checkpoint?.images ?? 0, text: `${s.backend.info?.backend ?? 'the backend'} failed (${error}); restarted on ${next} ${from}` };
    set((st) => ({ run: { ...st.run, status: 'starting', error: null, notes: [...st.run.notes, note] } }));
    terminateEngine();
    await get().startBackend(next);
    if (get().backend.status !== 'ready') {
      set((st) => ({ run: { ...st.run, status: 'failed', error: `${error}; the ${next} backend did not start either (${get().backend.error ?? 'unknown error'})` } }));
      return;
    }
    const config = get().run.config!;
    if (checkpoint) set((st) => rewindTo(st, checkpoint.images));
    else set((st) => ({ run: { ...EMPTY_RUN, status: 'starting', config, notes: st.run.notes }, metrics: EMPTY_METRICS, samples: EMPTY_SAMPLES, search: EMPTY_SEARCH }));
    await launch(config, checkpoint);
  };

  // A worker that dies mid-run sends no status: hear it from the worker itself.
  onEngineCrash((message) => {
    if (!isActiveStatus(get().run.status)) return;
    currentRun++; // the dead worker's events, if any arrive, are stale
    set((s) => ({ run: { ...s.run, status: 'failed', error: message } }));
    void recover(message);
  });

  return {
    run: EMPTY_RUN,
    runId: null,

    startRun: async () => {
      const config = get().config;
      const problem = configProblem(config);
      if (problem) {
        set({ run: { ...EMPTY_RUN, status: 'failed', error: problem } });
        return;
      }
      set({
        runId: newRunId(),
        runCreatedAt: Date.now(),
        run: { ...EMPTY_RUN, status: 'starting', config },
        metrics: EMPTY_METRICS,
        samples: EMPTY_SAMPLES,
        search: EMPTY_SEARCH,
      });
      await launch(config, null);
    },

    openSaved: async (id, continueTraining) => {
      let saved: SavedRun;
      try {
        saved = await loadRun(id);
      } catch (e) {
        set((s) => ({ library: { ...s.library, error: (e as Error).message } }));
        return;
      }
      await get().stopRun();
      currentRun++;
      const resumable = continueTraining && saved.checkpoint !== null;
      set({
        runId: saved.meta.id,
        runCreatedAt: saved.meta.createdAt,
        config: saved.config,
        presetId: null,
        run: { ...saved.state.run, checkpoint: saved.checkpoint, status: resumable ? 'starting' : saved.state.run.status === 'done' ? 'done' : 'stopped', error: null, activity: '', imagesPerSecond: 0 },
        metrics: saved.state.metrics,
        samples: saved.state.samples,
        search: { ...saved.state.search, activeId: null },
        library: { ...get().library, offer: null, error: null },
      });
      if (continueTraining && !saved.checkpoint) {
        set((s) => ({ run: { ...s.run, error: 'this run stopped before its first stage ended, so there is nothing to continue from: start it again' } }));
        return;
      }
      if (continueTraining && saved.config.dataset === 'upload' && get().upload.status !== 'ready') {
        set((s) => ({ run: { ...s.run, status: 'stopped', error: 'this run trained on uploaded images, which are not saved: choose the same images under "Your images", then continue it from the run library' } }));
        return;
      }
      if (resumable) {
        set((s) => rewindTo(s, saved.checkpoint!.images));
        await launch(saved.config, saved.checkpoint);
      }
    },

    pauseRun: () => command((api) => api.pause(), 'Pause'),
    resumeRun: () => command((api) => api.resume(), 'Resume'),
    stepRun: (kind) => command((api) => api.stepOnce(kind), 'Step'),
    stopRun: async () => {
      const st = get().run.status;
      if (isActiveStatus(st)) await command((api) => api.stopRun(), 'Stop');
    },
  };
};

const newRunId = () => (globalThis.crypto?.randomUUID?.() ?? `run-${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The store's run as a library record. */
export function toSavedRun(s: AppState): SavedRun {
  const { checkpoint, ...run } = s.run;
  const config = s.run.config ?? s.config;
  const state = { run, metrics: s.metrics, samples: s.samples, search: s.search };
  const name = s.library.runs.find((m) => m.id === s.runId)?.name ?? defaultRunName(config, s.runCreatedAt ?? Date.now());
  const meta: SavedRunMeta = {
    id: s.runId!,
    name,
    createdAt: s.runCreatedAt ?? Date.now(),
    savedAt: Date.now(),
    mode: config.mode,
    dataset: config.dataset,
    resolution: s.run.resolution,
    images: s.run.images,
    // Stages that can be resumed past: those the checkpoint includes.
    stages: checkpoint ? s.run.stages.filter((st) => st.imagesEnd <= checkpoint.images).length : 0,
    status: s.run.status,
    bytes: approximateBytes(state) + approximateBytes(checkpoint),
  };
  return { app: 'growlab', version: SAVED_RUN_VERSION, meta, config, state, checkpoint };
}

export function defaultRunName(c: RunConfig, createdAt: number): string {
  const when = new Date(createdAt).toISOString().slice(0, 16).replace('T', ' ');
  return `${MODE_LABELS[c.mode]} on ${c.dataset}, seed ${c.seed} (${when})`;
}
