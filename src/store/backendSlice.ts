import type { StateCreator } from 'zustand';
import type { BackendInfo } from '../worker/protocol';
import { callEngine } from '../worker/client';
import type { AppState } from './types';

export type BackendStatus = 'idle' | 'starting' | 'ready' | 'error';

export interface BackendState {
  status: BackendStatus;
  /** Backend forced by the user/URL, if any. */
  requested: string | undefined;
  info: BackendInfo | null;
  error: string | null;
}

export interface BackendSlice {
  backend: BackendState;
  /** Ask the worker to start a tfjs backend. Idempotent while starting or ready. */
  startBackend: (requested?: string) => Promise<void>;
}

/** The worker's own ladder has per-backend timeouts; this is the outer safety net. */
const INIT_TIMEOUT_MS = 180_000;

export const createBackendSlice: StateCreator<AppState, [], [], BackendSlice> = (set, get) => ({
  backend: { status: 'idle', requested: undefined, info: null, error: null },

  startBackend: async (requested) => {
    const current = get().backend;
    if ((current.status === 'starting' || current.status === 'ready') && current.requested === requested) return;
    set({ backend: { status: 'starting', requested, info: null, error: null } });
    try {
      const info = await callEngine(
        (api) => api.init(requested === undefined ? {} : { backend: requested }),
        INIT_TIMEOUT_MS,
        'The engine worker',
      );
      if (get().backend.requested !== requested) return; // superseded by a newer request
      set({ backend: { status: 'ready', requested, info, error: null } });
    } catch (err) {
      if (get().backend.requested !== requested) return;
      const message = err instanceof Error ? err.message : String(err);
      set({ backend: { status: 'error', requested, info: null, error: message } });
    }
  },
});
