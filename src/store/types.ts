import type { BackendSlice } from './backendSlice';

/** The whole app state: the intersection of every slice. Later slices join here. */
export type AppState = BackendSlice;
