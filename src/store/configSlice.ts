import type { StateCreator } from 'zustand';
import { DEFAULT_CONFIG, PRESETS } from '../worker/labConfig';
import type { RunConfig } from '../worker/protocol';
import type { AppState } from './types';

export interface ConfigSlice {
  /** The settings the next run starts with. */
  config: RunConfig;
  /** The preset last applied, while the settings still match it. */
  presetId: string | null;
  setConfig: (patch: Partial<RunConfig>) => void;
  applyPreset: (id: string) => void;
}

export const createConfigSlice: StateCreator<AppState, [], [], ConfigSlice> = (set) => ({
  config: { ...DEFAULT_CONFIG, ...PRESETS[0]!.config },
  presetId: PRESETS[0]!.id,
  setConfig: (patch) => set((s) => ({ config: { ...s.config, ...patch }, presetId: null })),
  applyPreset: (id) => {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) return;
    set((s) => ({ config: { ...s.config, ...preset.config }, presetId: id }));
  },
});
