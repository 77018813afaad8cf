import { useEffect } from 'react';
import { useAppStore } from '../store';
import { requestedBackendFromUrl } from '../worker/client';
import { Header } from './Header';

export function App() {
  const startBackend = useAppStore((s) => s.startBackend);
  const { status, info, error } = useAppStore((s) => s.backend);

  useEffect(() => {
    void startBackend(requestedBackendFromUrl());
  }, [startBackend]);

  return (
    <div className="page">
      <Header />
      <main id="main" className="content">
        {status === 'error' && (
          <div className="alert" role="alert">
            <h2>The engine could not start</h2>
            <p className="alert-message">{error}</p>
            <p>
              Reload the page to try again, or force a backend with <code>?backend=wasm</code> or{' '}
              <code>?backend=cpu</code> in the address.
            </p>
          </div>
        )}

        <section aria-labelledby="lab-heading" className="panel">
          <h2 id="lab-heading">The lab</h2>
          <p>
            GrowLab trains a small generative adversarial network in your browser and lets the
            networks <em>grow</em> while they learn: new layers and wider filters appear when the
            search decides they help. Training controls, live losses and generated samples will
            appear here.
          </p>
          {status === 'starting' && <p className="muted">Starting the engine in a background worker…</p>}
          {status === 'ready' && info && (
            <p>
              The engine runs on <strong>{info.backend}</strong>
              {info.software ? ', a software device: expect slow training.' : '.'}
            </p>
          )}
        </section>

        {info && info.attempts.length > 0 && (
          <section aria-labelledby="ladder-heading" className="panel">
            <h2 id="ladder-heading">How the backend was chosen</h2>
            <ol className="attempts">
              {info.attempts.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ol>
          </section>
        )}
      </main>
      <footer className="site-footer">
        <p>Everything runs locally: the networks train in a Web Worker with TensorFlow.js.</p>
      </footer>
    </div>
  );
}
