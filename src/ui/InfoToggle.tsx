import type { ReactNode } from 'react';
import { useAppStore } from '../store';

/** A panel heading with an "info" button that shows a short classroom explanation. */
export function PanelHeading({ id, view, title, children }: { id: string; view: string; title: string; children?: ReactNode }) {
  const open = useAppStore((s) => s.ui.info[view] === true);
  const toggle = useAppStore((s) => s.toggleInfo);
  return (
    <div className="panel-heading">
      <h2 id={id}>{title}</h2>
      {children}
      <button
        type="button"
        className="info-button"
        aria-expanded={open}
        aria-controls={`${view}-info`}
        onClick={() => toggle(view)}
        title={open ? 'Hide the explanation' : 'What am I seeing?'}
      >
        <span className="info-icon" aria-hidden="true">
          i
        </span>{' '}
        <span className="info-button-text">{open ? 'Hide info' : 'Info'}</span>
        <span className="visually-hidden"> about {title}</span>
      </button>
    </div>
  );
}

/** The explanation itself, shown when the heading's info button is on. */
export function InfoText({ view, children }: { view: string; children: ReactNode }) {
  const open = useAppStore((s) => s.ui.info[view] === true);
  return (
    <div id={`${view}-info`} className="info-text" hidden={!open}>
      {children}
    </div>
  );
}
