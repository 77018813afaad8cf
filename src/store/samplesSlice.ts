import type { StateCreator } from 'zustand';
import type { GridImage } from '../worker/protocol';
import type { AppState } from './types';

/** A sample grid ready for a canvas. */
export interface Grid {
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
  count: number;
  columns: number;
  /** The generator's resolution when it was drawn. */
  resolution: number;
  stage: number;
  /** Run images when it was drawn. */
  images: number;
}

export function toGrid(g: GridImage, stage: number, images: number): Grid {
  return { width: g.width, height: g.height, data: new Uint8ClampedArray(g.pixels), count: g.count, columns: g.columns, resolution: g.resolution, stage, images };
}

export interface SamplesState {
  /** The latest grid of the fixed latents (updated every few seconds while training). */
  live: Grid | null;
  /** Training images, for comparison. */
  reals: Grid | null;
  /** One grid per finished stage. */
  gallery: Grid[];
  /** Gallery position shown; null follows the newest. */
  selected: number | null;
  /** The current G along a walk between two fixed latents (one row). */
  interpolation: Grid | null;
}

export interface SamplesSlice {
  samples: SamplesState;
  selectGallery: (index: number | null) => void;
}

export const EMPTY_SAMPLES: SamplesState = { live: null, reals: null, gallery: [], selected: null, interpolation: null };

export const createSamplesSlice: StateCreator<AppState, [], [], SamplesSlice> = (set) => ({
  samples: EMPTY_SAMPLES,
  selectGallery: (index) => set((s) => ({ samples: { ...s.samples, selected: index } })),
});
