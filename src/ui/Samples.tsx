import { useEffect, useId, useRef } from 'react';
import { useAppStore, type Grid } from '../store';
import { gridPng } from '../store/runArchive';
import { downloadBytes } from './download';
import { formatK } from './format';
import { InfoText, PanelHeading } from './InfoToggle';

/** A sample grid on a 2D canvas, scaled up with crisp (pixelated) pixels. */
export function GridCanvas({ grid, label, testId }: { grid: Grid; label: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(grid.data, grid.width, grid.height), 0, 0);
  }, [grid]);
  return <canvas ref={ref} className="grid-canvas" width={grid.width} height={grid.height} role="img" aria-label={label} data-testid={testId} />;
}

function gridLabel(g: Grid, what: string): string {
  return `${what}: ${g.count} samples at ${g.resolution}×${g.resolution}, after ${g.images.toLocaleString('en-US')} images`;
}

function Gallery() {
  const gallery = useAppStore((s) => s.samples.gallery);
  const selected = useAppStore((s) => s.samples.selected);
  const select = useAppStore((s) => s.selectGallery);
  const id = useId();
  const index = selected === null ? gallery.length - 1 : Math.min(selected, gallery.length - 1);
  const grid = gallery[index];
  return (
    <figure className="sample-figure gallery" data-testid="gallery" data-count={gallery.length}>
      <figcaption>Each stage</figcaption>
      {grid ? (
        <>
          <GridCanvas grid={grid} label={gridLabel(grid, `End of stage ${grid.stage}`)} testId="gallery-grid" />
          <button type="button" className="chip grid-download" onClick={() => downloadBytes(gridPng(grid), `growlab-stage-${grid.stage}-${grid.resolution}px.png`, 'image/png')}>
            Download PNG
          </button>
          <div className="scrub">
            <label htmlFor={id}>Stage</label>
            <input
              id={id}
              type="range"
              min={0}
              max={Math.max(0, gallery.length - 1)}
              step={1}
              value={index}
              onChange={(e) => {
                const v = Number(e.target.value);
                select(v === gallery.length - 1 ? null : v);
              }}
              aria-valuetext={`stage ${grid.stage}, ${grid.resolution}×${grid.resolution}`}
              disabled={gallery.length < 2}
            />
            <output htmlFor={id}>
              stage {grid.stage} · {grid.resolution}×{grid.resolution} · {formatK(grid.images)} img
            </output>
          </div>
        </>
      ) : (
        <p className="muted placeholder">A grid is added here at the end of every stage.</p>
      )}
    </figure>
  );
}

export function Samples() {
  const live = useAppStore((s) => s.samples.live);
  const interpolation = useAppStore((s) => s.samples.interpolation);
  const reals = useAppStore((s) => s.samples.reals);
  return (
    <section aria-labelledby="samples-heading" className="panel samples">
      <PanelHeading id="samples-heading" view="samples" title="Samples" />
      <InfoText view="samples">
        <p>
          The generator draws from the same 36 noise vectors every time, so you can watch the <em>same</em> samples change. Before a model
          reaches the data resolution its images are enlarged with square pixels: blocky at 4×4, sharper with every growth. Scrub the
          stage slider to compare the end of every stage.
        </p>
        <p>
          The strip below walks from one noise vector to another along a great circle. Smooth changes along it mean G has learnt a
          continuous space of images; sudden jumps or repeats show where it has not (or where it has collapsed to a few modes).
        </p>
      </InfoText>
      <div className="sample-row">
        <figure className="sample-figure sample-live" data-testid="live">
          <figcaption>
            Live {live ? <span className="muted">· {live.resolution}×{live.resolution}</span> : null}
          </figcaption>
          {live ? <GridCanvas grid={live} label={gridLabel(live, 'Live samples')} testId="live-grid" /> : <p className="muted placeholder">Samples appear once training runs.</p>}
        </figure>
        <Gallery />
        <figure className="sample-figure sample-reals">
          <figcaption>Training data</figcaption>
          {reals ? <GridCanvas grid={reals} label={`${reals.count} training images at ${reals.resolution}×${reals.resolution}`} /> : <p className="muted placeholder">—</p>}
        </figure>
      </div>
      <figure className="sample-figure interpolation" data-testid="interpolation">
        <figcaption>Latent walk (current G)</figcaption>
        {interpolation ? (
          <GridCanvas grid={interpolation} label={`${interpolation.count} images of the current generator along a walk between two latent vectors, at ${interpolation.resolution}×${interpolation.resolution}`} testId="interpolation-strip" />
        ) : (
          <p className="muted placeholder">A walk between two latent vectors appears once training runs.</p>
        )}
      </figure>
    </section>
  );
}
