import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';
import { getEngine } from './worker/client';

// Automation hook for `npm run bench:browser` and the browser tests: the engine worker's API.
(globalThis as { growlab?: unknown }).growlab = { engine: getEngine() };

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
