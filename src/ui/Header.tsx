import { useId } from 'react';
import { useAppStore } from '../store';
import { isActiveStatus } from '../worker/labConfig';
import { BACKEND_NAMES } from '../worker/protocol';

function threadsLabel(threads: number): string {
  return threads === 1 ? '1 thread' : `${threads} threads`;
}

/**
 * Backend override: the engine picks its backend once, when the worker starts, so choosing another
 * reloads the page with `?backend=…` (the URL can be shared). Disabled while a run is active.
 */
function BackendSelect() {
  const id = useId();
  const requested = useAppStore((s) => s.backend.requested);
  const runStatus = useAppStore((s) => s.run.status);
  const active = isActiveStatus(runStatus);
  return (
    <span className="backend-select">
      <label htmlFor={id}>Use:</label>{' '}
      <select
        id={id}
        value={requested ?? ''}
        disabled={active}
        title={active ? 'Stop the run to switch backends' : 'Restart the engine on another backend'}
        onChange={(e) => {
          const url = new URL(window.location.href);
          if (e.target.value) url.searchParams.set('backend', e.target.value);
          else url.searchParams.delete('backend');
          window.location.assign(url.href);
        }}
      >
        <option value="">fastest (automatic)</option>
        {BACKEND_NAMES.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
    </span>
  );
}

/** Page banner: the title and the engine's tfjs backend as the worker reports it. */
export function Header() {
  const { status, info } = useAppStore((s) => s.backend);

  return (
    <header className="site-header">
      <h1>GrowLab — watch a GAN grow</h1>
      <p
        className="backend"
        data-testid="backend"
        data-status={status}
        data-backend={info?.backend ?? ''}
        data-software={info ? String(info.software) : ''}
        aria-live="polite"
      >
        <span className="backend-label">Backend:</span>{' '}
        {status === 'ready' && info ? (
          <>
            <strong className="backend-name">{info.backend}</strong>{' '}
            {info.software && (
              <>
                <span className="badge badge-warn" title="A software device (no GPU): slow">
                  software
                </span>{' '}
              </>
            )}
            <span className="backend-detail">
              {info.adapter} · {threadsLabel(info.threads)}
            </span>
          </>
        ) : status === 'error' ? (
          <strong className="backend-name backend-failed">unavailable</strong>
        ) : (
          <span className="backend-starting">
            <span className="spinner" aria-hidden="true" />
            starting…
          </span>
        )}
        <BackendSelect />
      </p>
    </header>
  );
}
