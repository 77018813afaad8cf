import { useEffect, useId, useState } from 'react';
import { useAppStore } from '../store';
import { BATCHES, configProblem, DATASET_LABELS, isActiveStatus, LAB_DATASETS, LAB_RESOLUTIONS, LATENTS, LOSSES, manualPlanState, MODE_LABELS, PRESETS, RUN_MODES, WIDTHS } from '../worker/labConfig';
import type { LabDataset, LabResolution, LossName, RunConfig, RunMode, RunStatus } from '../worker/protocol';
import { formatInt } from './format';
import { InfoText, PanelHeading } from './InfoToggle';


const STATUS_LABELS: Record<RunStatus, string> = {
  idle: 'Ready',
  starting: 'Starting…',
  running: 'Training',
  paused: 'Paused',
  done: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** A number input that keeps what is typed and commits only valid numbers. */
function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  unit,
  integer = false,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min: number;
  max: number;
  step: number;
  unit?: string;
  integer?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The value changed from outside (a preset): show it.
    setShown(value);
    setText(String(value));
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {unit && <span className="unit"> ({unit})</span>}
      </label>
      <input
        id={id}
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={step}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) {
            setShown(v);
            onChange(v);
          }
        }}
      />
    </div>
  );
}

function SelectField<T extends string | number>({
  label,
  value,
  options,
  onChange,
  format = String,
}: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (v: T) => void;
  format?: (v: T) => string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={String(value)} onChange={(e) => onChange(options.find((o) => String(o) === e.target.value)!)}>
        {options.map((o) => (
          <option key={String(o)} value={String(o)}>
            {format(o)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Manual mode: the typed plan, and the legal next actions as buttons that append to it. */
function ActionPicker({ config, setConfig }: { config: RunConfig; setConfig: (p: Partial<RunConfig>) => void }) {
  const id = useId();
  const state = manualPlanState(config);
  const append = (a: string) => setConfig({ actions: [...state.valid, a].join(',') });
  return (
    <div className="field field-wide">
      <label htmlFor={id}>Growth actions, in order</label>
      <input id={id} type="text" spellCheck={false} value={config.actions} onChange={(e) => setConfig({ actions: e.target.value })} aria-describedby={`${id}-help`} />
      <p id={`${id}-help`} className="hint">
        <code>g:3x3x16</code> a conv on G · <code>d:3x3x16</code> a conv on D · <code>res:16</code> both double the resolution.
        {state.problem ? (
          <span className="field-error" role="status">
            {' '}
            {state.problem}
          </span>
        ) : null}
      </p>
      <div className="legal-actions" role="group" aria-label="Legal next actions (click to append)">
        {state.legal.map((a) => (
          <button key={a} type="button" className="chip" onClick={() => append(a)}>
            + {a}
          </button>
        ))}
      </div>
    </div>
  );
}

/** "Your images": a file picker, what became of each file, and whether the set is usable. */
function UploadPicker() {
  const id = useId();
  const upload = useAppStore((s) => s.upload);
  const uploadFiles = useAppStore((s) => s.uploadFiles);
  const summary = upload.summary;
  return (
    <div className="field field-wide upload" data-testid="upload" data-status={upload.status}>
      <label htmlFor={id}>Your images (PNG, JPEG, GIF or WebP; at least 16, each at least 32×32 px)</label>
      <input
        id={id}
        type="file"
        multiple
        accept="image/png,image/jpeg,image/gif,image/webp"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void uploadFiles(files);
        }}
      />
      <div className="hint" role="status" aria-live="polite">
        {upload.status === 'reading' && <span>Reading {formatInt(upload.files)} files…</span>}
        {summary && (
          <span data-testid="upload-summary">
            {formatInt(summary.accepted)} of {formatInt(summary.files)} files usable
            {summary.ready ? ` — ready to train (${summary.size}×${summary.size}, centre-cropped).` : ' — not enough to train on.'}
          </span>
        )}
        {upload.error && <span className="field-error"> {upload.error}</span>}
      </div>
      {summary && summary.problems.length > 0 && (
        <ul className="upload-problems" aria-label="Files that could not be used">
          {summary.problems.slice(0, 50).map((p, i) => (
            <li key={i}>
              {p.file ? <strong>{p.file}</strong> : null}
              {p.file ? ': ' : ''}
              {p.message}
            </li>
          ))}
          {summary.problems.length > 50 && <li>… and {formatInt(summary.problems.length - 50)} more</li>}
        </ul>
      )}
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function Controls() {
  const config = useAppStore((s) => s.config);
  const presetId = useAppStore((s) => s.presetId);
  const setConfig = useAppStore((s) => s.setConfig);
  const applyPreset = useAppStore((s) => s.applyPreset);
  const backendReady = useAppStore((s) => s.backend.status === 'ready');
  const status = useAppStore((s) => s.run.status);
  const images = useAppStore((s) => s.run.images);
  const plannedImages = useAppStore((s) => s.run.plannedImages);
  const ips = useAppStore((s) => s.run.imagesPerSecond);
  const activity = useAppStore((s) => s.run.activity);
  const error = useAppStore((s) => s.run.error);
  const halfStep = useAppStore((s) => s.run.halfStep);
  const lastHalf = useAppStore((s) => s.run.lastHalf);
  const uploadReady = useAppStore((s) => s.upload.status === 'ready');
  const { startRun, pauseRun, resumeRun, stepRun, stopRun } = useAppStore.getState();

  const active = isActiveStatus(status);
  const problem = configProblem(config) ?? (config.dataset === 'upload' && !uploadReady ? 'choose at least 16 usable images under "Your images" first' : null);
  const canStart = backendReady && !active && problem === null;

  // Keyboard: Space plays/pauses (or starts), S steps while paused.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const run = useAppStore.getState();
      const st = run.run.status;
      if (e.key === ' ' || e.code === 'Space') {
        // A focused button handles Space itself.
        if (e.target instanceof HTMLButtonElement) return;
        e.preventDefault();
        if (st === 'running') void run.pauseRun();
        else if (st === 'paused') void run.resumeRun();
        else if (st !== 'starting' && run.backend.status === 'ready' && configProblem(run.config) === null) void run.startRun();
      } else if (e.key === 'h' || e.key === 'H') {
        if (st === 'paused') {
          e.preventDefault();
          void run.stepRun('half');
        }
      } else if (e.key === 's' || e.key === 'S') {
        if (st === 'paused') {
          e.preventDefault();
          void run.stepRun(e.shiftKey ? 'stage' : 'step');
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const set = (patch: Partial<RunConfig>) => setConfig(patch);
  const progress = plannedImages > 0 ? Math.min(1, images / plannedImages) : 0;

  return (
    <section aria-labelledby="controls-heading" className="panel controls">
      <PanelHeading id="controls-heading" view="controls" title="Run" />
      <InfoText view="controls">
        <p>
          Training shows real images to the discriminator D and fakes to it from the generator G, one batch per step. Every stage
          trains on <em>kimg per stage</em> thousand real images; each later stage opens with one growth, faded in over half the stage.
        </p>
        <p>
          <kbd>Space</kbd> starts, pauses and resumes; while paused <kbd>H</kbd> takes half a step (D's update, then G's),{' '}
          <kbd>S</kbd> one step (both), <kbd>Shift</kbd>+<kbd>S</kbd> the rest of the stage.
        </p>
      </InfoText>

      <div className="run-buttons" role="group" aria-label="Training controls">
        {!active ? (
          <button type="button" className="primary" onClick={() => void startRun()} disabled={!canStart} aria-keyshortcuts="Space">
            ▶ Start
          </button>
        ) : status === 'paused' ? (
          <button type="button" className="primary" onClick={() => void resumeRun()} aria-keyshortcuts="Space">
            ▶ Resume
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void pauseRun()} disabled={status !== 'running'} aria-keyshortcuts="Space">
            ❚❚ Pause
          </button>
        )}
        <button
          type="button"
          onClick={() => void stepRun('half')}
          disabled={status !== 'paused'}
          aria-keyshortcuts="H"
          title={halfStep ? "G's update: completes the step" : "D's update alone: shows D a batch of real and fake images"}
          data-testid="half-step"
        >
          {halfStep ? 'G step' : 'D step'}
        </button>
        <button type="button" onClick={() => void stepRun('step')} disabled={status !== 'paused'} aria-keyshortcuts="S" title="One D step and one G step">
          Step
        </button>
        <button type="button" onClick={() => void stepRun('stage')} disabled={status !== 'paused'} aria-keyshortcuts="Shift+S" title="Train to the end of this stage">
          Finish stage
        </button>
        <button type="button" onClick={() => void stopRun()} disabled={!active}>
          ■ Stop
        </button>
      </div>

      <div className="run-status" data-testid="run-status" data-status={status} aria-live="polite">
        <span className={`status-pill status-${status}`}>{STATUS_LABELS[status]}</span>{' '}
        <span>
          <strong data-testid="images" data-images={images}>
            {formatInt(images)}
          </strong>{' '}
          images
        </span>
        {status === 'running' && ips > 0 && (
          <span className="speed" data-testid="speed">
            {' '}
            · {ips >= 100 ? ips.toFixed(0) : ips.toFixed(1)} images/s
          </span>
        )}
      </div>
      {plannedImages > 0 && (
        <progress className="run-progress" value={progress} max={1} aria-label="Share of the run's images done">
          {Math.round(progress * 100)} %
        </progress>
      )}
      {status === 'paused' && lastHalf && (
        <p className="muted" data-testid="half-step-result">
          {lastHalf.half === 'D' ? `D updated (D loss ${lastHalf.loss.toFixed(3)}); G's update comes next.` : `G updated (G loss ${lastHalf.loss.toFixed(3)}): one step done.`}
        </p>
      )}
      {activity && <p className="activity muted">{activity}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}

      <div className="presets" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" className="chip" aria-pressed={presetId === p.id} onClick={() => applyPreset(p.id)} title={p.description} disabled={active}>
            {p.label}
          </button>
        ))}
      </div>

      <form className="settings" onSubmit={(e) => e.preventDefault()} aria-label="Run settings">
        <fieldset disabled={active}>
          <legend>Model and data</legend>
          <SelectField label="Mode" value={config.mode} options={RUN_MODES} format={(m: RunMode) => MODE_LABELS[m]} onChange={(mode) => set({ mode })} />
          <SelectField label="Data set" value={config.dataset} options={LAB_DATASETS} format={(d: LabDataset) => DATASET_LABELS[d]} onChange={(dataset) => set({ dataset })} />
          <SelectField label="Resolution" value={config.resolution} options={LAB_RESOLUTIONS} format={(r: LabResolution) => `${r}×${r} px`} onChange={(resolution) => set({ resolution })} />
          <SelectField label="Width at 4×4" value={config.width} options={WIDTHS} format={(w) => `${w} channels`} onChange={(width) => set({ width })} />
          <SelectField label="Latent size" value={config.latent} options={LATENTS} onChange={(latent) => set({ latent })} />
          {config.mode === 'manual' && <ActionPicker config={config} setConfig={set} />}
        </fieldset>
        {/* Outside the fieldsets: choosing new images while a run trains leaves that run alone. */}
        {config.dataset === 'upload' && <UploadPicker />}
        <fieldset disabled={active}>
          <legend>Training</legend>
          <NumberField label="kimg per stage" unit="thousand images" value={config.kimgPerStage} min={0.01} max={1000} step={0.1} onChange={(kimgPerStage) => set({ kimgPerStage })} />
          <SelectField label="Batch" value={config.batch} options={BATCHES} onChange={(batch) => set({ batch })} />
          <NumberField label="Learning rate" value={config.lr} min={0.000001} max={0.1} step={0.0005} onChange={(lr) => set({ lr })} />
          <SelectField label="Loss" value={config.loss} options={LOSSES} format={(l: LossName) => (l === 'wgan-gp' ? 'WGAN-GP' : 'logistic')} onChange={(loss) => set({ loss })} />
          <NumberField label="Seed" value={config.seed} min={0} max={4294967295} step={1} integer onChange={(seed) => set({ seed })} />
        </fieldset>
        {config.mode === 'dggan' && (
          <fieldset disabled={active}>
            <legend>Search</legend>
            <NumberField label="Budget" unit="kimg, candidates included" value={config.budgetKimg} min={0.01} max={10000} step={1} onChange={(budgetKimg) => set({ budgetKimg })} />
            <NumberField label="Per candidate" unit="kimg" value={config.candidateKimg} min={0.01} max={1000} step={0.1} onChange={(candidateKimg) => set({ candidateKimg })} />
            <NumberField label="Parents (top-K)" value={config.topK} min={1} max={20} step={1} integer onChange={(topK) => set({ topK })} />
            <NumberField label="Keep probability" value={config.keepP} min={0} max={1} step={0.05} onChange={(keepP) => set({ keepP })} />
          </fieldset>
        )}
        {problem && !active && (
          <p className="field-error" role="status">
            {problem}
          </p>
        )}
      </form>
    </section>
  );
}
