import * as Comlink from 'comlink';
import type { StateCreator } from 'zustand';
import { configProblem } from '../worker/labConfig';
import { callEngine, type EngineClient } from '../worker/client';
import type { ModelView, RunConfig, RunEvent, RunStatus, StageSummary, StepKind } from '../worker/protocol';
import { EMPTY_METRICS } from './metricsSlice';
import { applyRunEvent } from './runEvents';
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
}

export interface RunSlice {
  run: RunState;
  startRun: () => Promise<void>;
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
  growths: [],
};

const CALL_TIMEOUT_MS = 60_000;

/** Events of older runs still in flight are dropped. */
let currentRun = 0;

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  const command = async (call: (api: EngineClient) => Promise<void>, what: string) => {
    try {
      await callEngine(call, CALL_TIMEOUT_MS, what);
    } catch (e) {
      set((s) => ({ run: { ...s.run, error: e instanceof Error ? e.message : String(e) } }));
    }
  };

  return {
    run: EMPTY_RUN,

    startRun: async () => {
      const config = get().config;
      const problem = configProblem(config);
      if (problem) {
        set({ run: { ...EMPTY_RUN, status: 'failed', error: problem } });
        return;
      }
      const token = ++currentRun;
      set({
        run: { ...EMPTY_RUN, status: 'starting', config },
        metrics: EMPTY_METRICS,
        samples: EMPTY_SAMPLES,
        search: EMPTY_SEARCH,
      });
      const onEvent = (event: RunEvent) => {
        if (token !== currentRun) return;
        set((s) => applyRunEvent(s, event));
      };
      try {
        await callEngine((api) => api.startRun(config, Comlink.proxy(onEvent)), CALL_TIMEOUT_MS, 'Starting the run');
      } catch (e) {
        if (token !== currentRun) return;
        set((s) => ({ run: { ...s.run, status: 'failed', error: e instanceof Error ? e.message : String(e) } }));
      }
    },

    pauseRun: () => command((api) => api.pause(), 'Pause'),
    resumeRun: () => command((api) => api.resume(), 'Resume'),
    stepRun: (kind) => command((api) => api.stepOnce(kind), 'Step'),
    stopRun: () => command((api) => api.stopRun(), 'Stop'),
  };
};
