import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';
import { getEngine } from './worker/client';

// Automation hook for `npm run bench:browser` and the browser tests: the engine worker's API
// (a getter: after a crash the lab starts a new worker).
(globalThis as { growlab?: unknown }).growlab = {
  get engine() {
    return getEngine();
  },
};

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
