import * as Comlink from 'comlink';
import type { StateCreator } from 'zustand';
import { callEngine } from '../worker/client';
import type { UploadSummary } from '../worker/protocol';
import type { AppState } from './types';

export interface UploadState {
  status: 'none' | 'reading' | 'ready' | 'unusable';
  /** Files chosen in the last upload. */
  files: number;
  summary: UploadSummary | null;
  /** A failure of the upload itself (not of a file), e.g. the engine did not answer. */
  error: string | null;
}

export interface UploadSlice {
  upload: UploadState;
  /** Sends the files to the engine, which decodes them into the 'upload' data set. */
  uploadFiles: (files: File[]) => Promise<void>;
}

/** Reading and decoding a few hundred images takes seconds; a stuck worker is reported after this. */
const UPLOAD_TIMEOUT_MS = 120_000;
/** More bytes than this in one upload are refused before anything is read. */
export const UPLOAD_MAX_TOTAL_BYTES = 200 * 1024 * 1024;

export const createUploadSlice: StateCreator<AppState, [], [], UploadSlice> = (set) => ({
  upload: { status: 'none', files: 0, summary: null, error: null },

  uploadFiles: async (files) => {
    const total = files.reduce((a, f) => a + f.size, 0);
    if (files.length === 0) {
      set((s) => ({ upload: { ...s.upload, error: 'no files were chosen' } }));
      return;
    }
    if (total > UPLOAD_MAX_TOTAL_BYTES) {
      set({ upload: { status: 'unusable', files: files.length, summary: null, error: `these ${files.length} files hold ${(total / 2 ** 20).toFixed(0)} MB; choose at most ${UPLOAD_MAX_TOTAL_BYTES / 2 ** 20} MB of images` } });
      return;
    }
    set({ upload: { status: 'reading', files: files.length, summary: null, error: null } });
    try {
      const payload = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
      const summary = await callEngine(
        (api) => api.setUpload(Comlink.transfer(payload, payload.map((p) => p.bytes))),
        UPLOAD_TIMEOUT_MS,
        'Decoding the images',
      );
      set({ upload: { status: summary.ready ? 'ready' : 'unusable', files: files.length, summary, error: null } });
    } catch (e) {
      set({ upload: { status: 'unusable', files: files.length, summary: null, error: e instanceof Error ? e.message : String(e) } });
    }
  },
});
