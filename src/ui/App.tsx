import { useEffect } from 'react';
import { useAppStore } from '../store';
import { requestedBackendFromUrl } from '../worker/client';
import { Architecture } from './Architecture';
import { Charts } from './Charts';
import { Controls } from './Controls';
import { Header } from './Header';
import { Samples } from './Samples';
import { Library, ResumeOffer } from './Library';
import { Search } from './Search';
import { useUrlConfig } from './useUrlConfig';

export function App() {
  const startBackend = useAppStore((s) => s.startBackend);
  const { status, info, error } = useAppStore((s) => s.backend);

  useEffect(() => {
    void startBackend(requestedBackendFromUrl());
    void useAppStore.getState().openLibrary();
  }, [startBackend]);
  const hashProblems = useUrlConfig();

  return (
    <div className="page">
      <Header />
      <main id="main" className="content lab">
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
        {status === 'starting' && <p className="muted starting-note">Starting the engine in a background worker…</p>}
        {hashProblems.length > 0 && (
          <div className="alert" role="alert" data-testid="hash-problems">
            <p>Some settings in the link could not be used; the lab uses its defaults for them:</p>
            <ul>
              {hashProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        <ResumeOffer />

        <div className="lab-grid">
          <Controls />
          <Architecture />
          <Samples />
          <Charts />
          <Search />
          <Library />
        </div>

        {info && info.attempts.length > 0 && (
          <details className="panel ladder">
            <summary>
              <h2 id="ladder-heading">How the backend was chosen</h2>
            </summary>
            <p>
              The engine runs on <strong>{info.backend}</strong>
              {info.software ? ', a software device: expect slow training.' : '.'}
            </p>
            <ol className="attempts" aria-labelledby="ladder-heading">
              {info.attempts.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ol>
          </details>
        )}
      </main>
      <footer className="site-footer">
        <p>Everything runs locally: the networks train in a Web Worker with TensorFlow.js; the page only draws what the worker reports.</p>
      </footer>
    </div>
  );
}
