import { useId, useState } from 'react';
import { useAppStore } from '../store';
import type { SavedRunMeta } from '../store/runLibrary';
import { wasInterrupted } from '../store/runLibrary';
import { isActiveStatus, MODE_LABELS } from '../worker/labConfig';
import { downloadBytes } from './download';
import { formatInt } from './format';
import { InfoText, PanelHeading } from './InfoToggle';

const formatBytes = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`);
const when = (t: number) => new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });

async function download(id: string | null, what: 'run' | 'generator') {
  const file = await useAppStore.getState().exportSaved(id, what);
  if (file) downloadBytes(file.bytes, file.filename);
}

/** The banner offering to continue a run that was interrupted (reload, crash, closed tab). */
export function ResumeOffer() {
  const offer = useAppStore((s) => s.library.offer);
  const { openSaved, dismissOffer } = useAppStore.getState();
  if (!offer) return null;
  return (
    <div className="alert offer" role="alert" data-testid="resume-offer">
      <p>
        <strong>{offer.name}</strong> was interrupted at {formatInt(offer.images)} images ({offer.stages} stage{offer.stages === 1 ? '' : 's'} finished and
        saved).
      </p>
      <div className="run-buttons">
        <button type="button" className="primary" onClick={() => void openSaved(offer.id, true)}>
          Continue it
        </button>
        <button type="button" onClick={() => void openSaved(offer.id, false)}>
          Just show it
        </button>
        <button type="button" onClick={dismissOffer}>
          Not now
        </button>
      </div>
    </div>
  );
}

function RunRow({ meta, current, busy }: { meta: SavedRunMeta; current: boolean; busy: boolean }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(meta.name);
  const id = useId();
  const { openSaved, renameSaved, deleteSaved } = useAppStore.getState();
  return (
    <li className={current ? 'library-run current' : 'library-run'} data-testid="library-run" data-id={meta.id}>
      {editing ? (
        <form
          className="rename"
          onSubmit={(e) => {
            e.preventDefault();
            setEditing(false);
            void renameSaved(meta.id, name);
          }}
        >
          <label htmlFor={id} className="visually-hidden">
            New name
          </label>
          <input id={id} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} autoFocus />
          <button type="submit">Save name</button>
        </form>
      ) : (
        <span className="library-name">{meta.name}</span>
      )}
      <span className="muted library-detail">
        {MODE_LABELS[meta.mode]} · {meta.dataset} · {meta.resolution}×{meta.resolution} · {formatInt(meta.images)} images · {meta.stages} stages ·{' '}
        {current && busy ? 'training now' : wasInterrupted(meta) ? 'interrupted' : meta.status} · {formatBytes(meta.bytes)} · saved {when(meta.savedAt)}
      </span>
      <span className="library-actions">
        <button type="button" className="chip" disabled={busy} onClick={() => void openSaved(meta.id, false)}>
          Show
        </button>
        {meta.status !== 'done' && (
          <button type="button" className="chip" disabled={busy} onClick={() => void openSaved(meta.id, true)}>
            Continue
          </button>
        )}
        <button type="button" className="chip" onClick={() => setEditing((v) => !v)}>
          Rename
        </button>
        <button type="button" className="chip" onClick={() => void download(meta.id, 'run')}>
          Export
        </button>
        <button
          type="button"
          className="chip"
          disabled={current && busy}
          onClick={() => {
            if (window.confirm(`Delete “${meta.name}” from this browser? Export it first to keep a copy.`)) void deleteSaved(meta.id);
          }}
        >
          Delete
        </button>
      </span>
    </li>
  );
}

/** Saved runs: list, rename, delete, export and import; storage used; autosave problems. */
export function Library() {
  const library = useAppStore((s) => s.library);
  const runId = useAppStore((s) => s.runId);
  const status = useAppStore((s) => s.run.status);
  const importFile = useAppStore((s) => s.importFile);
  const importId = useId();
  const busy = isActiveStatus(status);
  return (
    <section aria-labelledby="library-heading" className="panel library" data-testid="library">
      <PanelHeading id="library-heading" view="library" title="Run library" />
      <InfoText view="library">
        <p>
          Every run is saved in this browser (IndexedDB) after each stage and every minute: settings, weights, optimizer state, search
          history, metrics and the sample gallery. If the page is reloaded or crashes, the lab offers to continue from the last save.
          Export makes one .zip you can keep or send; Import reads it back. <em>Export generator</em> writes G alone (JSON + float32
          weights; see docs/generator-format.md). Nothing is uploaded anywhere.
        </p>
      </InfoText>
      {library.saveError && (
        <p className="field-error" role="alert" data-testid="save-error">
          {library.saveError}
        </p>
      )}
      {library.error && (
        <p className="field-error" role="alert" data-testid="library-error">
          {library.error}
        </p>
      )}
      <div className="run-buttons" role="group" aria-label="Export and import">
        <button type="button" onClick={() => void download(null, 'run')} disabled={!runId}>
          Export this run
        </button>
        <button type="button" onClick={() => void download(null, 'generator')} disabled={!runId}>
          Export generator
        </button>
        <input
          id={importId}
          className="visually-hidden"
          type="file"
          accept=".zip,application/zip"
          data-testid="import-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <label className="button-like" htmlFor={importId}>
          Import a run…
        </label>
      </div>
      {library.usage && (
        <p className="muted" data-testid="storage-use">
          Using {formatBytes(library.usage.usage)} of the {formatBytes(library.usage.quota)} this browser allows the lab.
        </p>
      )}
      {library.runs.length === 0 ? (
        <p className="muted">{library.loaded ? 'No saved runs yet: a run is saved here when its first stage ends.' : 'Reading the library…'}</p>
      ) : (
        <ul className="library-runs" aria-label="Saved runs">
          {library.runs.map((m) => (
            <RunRow key={m.id} meta={m} current={m.id === runId} busy={busy} />
          ))}
        </ul>
      )}
    </section>
  );
}
