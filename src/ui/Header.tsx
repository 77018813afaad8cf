import { useAppStore } from '../store';

function threadsLabel(threads: number): string {
  return threads === 1 ? '1 thread' : `${threads} threads`;
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
      </p>
    </header>
  );
}
