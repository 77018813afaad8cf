import { create } from 'zustand';
import { createBackendSlice } from './backendSlice';
import type { AppState } from './types';

export type { AppState } from './types';
export type { BackendSlice, BackendState, BackendStatus } from './backendSlice';

/**
 * The single app store, composed of slices. The UI reads state and calls actions;
 * actions talk to the engine worker. No tensors live here.
 */
export const useAppStore = create<AppState>()((...a) => ({
  ...createBackendSlice(...a),
}));
