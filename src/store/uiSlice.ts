import type { StateCreator } from 'zustand';
import type { AppState } from './types';

export interface UiSlice {
  ui: {
    /** Which views show their classroom explanation. */
    info: Record<string, boolean>;
  };
  toggleInfo: (view: string) => void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  ui: { info: {} },
  toggleInfo: (view) => set((s) => ({ ui: { ...s.ui, info: { ...s.ui.info, [view]: !s.ui.info[view] } } })),
});
