import { create } from 'zustand';
import { createBackendSlice } from './backendSlice';
import { createConfigSlice } from './configSlice';
import { createMetricsSlice } from './metricsSlice';
import { createRunSlice } from './runSlice';
import { createSamplesSlice } from './samplesSlice';
import { createSearchSlice } from './searchSlice';
import type { AppState } from './types';
import { createUiSlice } from './uiSlice';
import { createUploadSlice } from './uploadSlice';
import { createLibrarySlice } from './librarySlice';

export type { AppState } from './types';
export type { BackendSlice, BackendState, BackendStatus } from './backendSlice';
export type { GrowthEntry, LossSample, RunState } from './runSlice';
export type { Grid } from './samplesSlice';
export type { SearchNode, SearchState } from './searchSlice';
export { searchTree } from './searchSlice';

/**
 * The single app store, composed of slices. The UI reads state and calls actions;
 * actions talk to the engine worker. No tensors live here.
 */
export const useAppStore = create<AppState>()((...a) => ({
  ...createBackendSlice(...a),
  ...createConfigSlice(...a),
  ...createRunSlice(...a),
  ...createMetricsSlice(...a),
  ...createSamplesSlice(...a),
  ...createSearchSlice(...a),
  ...createUiSlice(...a),
  ...createUploadSlice(...a),
  ...createLibrarySlice(...a),
}));
