import type { StateCreator } from 'zustand';
import type { MetricsReport } from '../worker/protocol';
import type { AppState } from './types';

export interface MetricsSlice {
  /** One report per measured stage, in order. */
  metrics: { reports: MetricsReport[] };
}

export const EMPTY_METRICS: MetricsSlice['metrics'] = { reports: [] };

export const createMetricsSlice: StateCreator<AppState, [], [], MetricsSlice> = () => ({
  metrics: EMPTY_METRICS,
});
