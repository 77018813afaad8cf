import type { StateCreator } from 'zustand';
import { displayName } from '../core/data/displayName';
import { ArchiveError, exportGenerator, exportRun, importRun, MAX_IMPORT_BYTES } from './runArchive';
import { deleteRun, LibraryError, listRuns, loadRun, renameRun, saveRun, storageUse, wasInterrupted, type SavedRunMeta } from './runLibrary';
import { toSavedRun } from './runSlice';
import type { AppState } from './types';

export interface LibraryState {
  runs: SavedRunMeta[];
  /** Bytes this site stores and may store, when the browser says. */
  usage: { usage: number; quota: number } | null;
  /** An interrupted run found when the page opened: the lab offers to resume it. */
  offer: SavedRunMeta | null;
  /** The last library operation that failed, in words. */
  error: string | null;
  /** Autosave failing (a full quota above all); cleared by the next save that works. */
  saveError: string | null;
  loaded: boolean;
}

export interface LibrarySlice {
  library: LibraryState;
  refreshLibrary: () => Promise<void>;
  /** Reads the library once when the page opens and offers the newest interrupted run. */
  openLibrary: () => Promise<void>;
  renameSaved: (id: string, name: string) => Promise<void>;
  deleteSaved: (id: string) => Promise<void>;
  dismissOffer: () => void;
  /** A saved run (or the run on screen, id null) as a zip, or its generator alone. */
  exportSaved: (id: string | null, what: 'run' | 'generator') => Promise<{ bytes: Uint8Array; filename: string } | null>;
  /** Checks an exported file and adds it to the library, then shows it. */
  importFile: (file: File) => Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A run name as a file name. */
const fileSafe = (name: string) => name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'growlab-run';

export const createLibrarySlice: StateCreator<AppState, [], [], LibrarySlice> = (set, get) => ({
  library: { runs: [], usage: null, offer: null, error: null, saveError: null, loaded: false },

  refreshLibrary: async () => {
    try {
      const [runs, usage] = await Promise.all([listRuns(), storageUse()]);
      set((s) => ({ library: { ...s.library, runs, usage, loaded: true } }));
    } catch (e) {
      set((s) => ({ library: { ...s.library, error: message(e), loaded: true } }));
    }
  },

  openLibrary: async () => {
    await get().refreshLibrary();
    const s = get();
    const offer = s.library.runs.find(wasInterrupted) ?? null;
    if (offer && offer.id !== s.runId) set((st) => ({ library: { ...st.library, offer } }));
  },

  renameSaved: async (id, name) => {
    try {
      await renameRun(id, name);
      set((s) => ({ library: { ...s.library, error: null } }));
    } catch (e) {
      set((s) => ({ library: { ...s.library, error: message(e) } }));
    }
    await get().refreshLibrary();
  },

  deleteSaved: async (id) => {
    try {
      await deleteRun(id);
      set((s) => ({ library: { ...s.library, error: null, offer: s.library.offer?.id === id ? null : s.library.offer } }));
    } catch (e) {
      set((s) => ({ library: { ...s.library, error: message(e) } }));
    }
    await get().refreshLibrary();
  },

  dismissOffer: () => set((s) => ({ library: { ...s.library, offer: null } })),

  exportSaved: async (id, what) => {
    try {
      const s = get();
      const run = id === null ? (s.runId ? toSavedRun(s) : null) : await loadRun(id);
      if (!run) throw new LibraryError('there is no run to export yet');
      const bytes = what === 'run' ? exportRun(run) : exportGenerator(run);
      set((st) => ({ library: { ...st.library, error: null } }));
      return { bytes, filename: `${fileSafe(run.meta.name)}${what === 'run' ? '' : '-generator'}.zip` };
    } catch (e) {
      set((st) => ({ library: { ...st.library, error: `export failed: ${message(e)}` } }));
      return null;
    }
  },

  importFile: async (file) => {
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new ArchiveError(`${displayName(file.name)} is ${(file.size / 2 ** 20).toFixed(0)} MB; GrowLab runs are far smaller (at most ${MAX_IMPORT_BYTES / 2 ** 20} MB)`);
      const run = importRun(new Uint8Array(await file.arrayBuffer()));
      const taken = get().library.runs.some((m) => m.id === run.meta.id);
      const meta = taken ? { ...run.meta, id: `${run.meta.id}-${Date.now().toString(36)}`, name: `${run.meta.name} (imported)` } : run.meta;
      await saveRun({ ...run, meta: { ...meta, savedAt: Date.now() } });
      set((st) => ({ library: { ...st.library, error: null } }));
      await get().refreshLibrary();
      await get().openSaved(meta.id, false);
    } catch (e) {
      set((st) => ({ library: { ...st.library, error: `${displayName(file.name)} could not be imported: ${message(e)}` } }));
    }
  },
});
