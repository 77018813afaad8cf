import { useState } from 'react';
import { useAppStore } from '../store';
import type { LayerSpec, ModelView } from '../worker/protocol';
import { formatCount, formatFlops, formatK } from './format';
import { InfoText, PanelHeading } from './InfoToggle';

const VIEW_W = 520;
const COL_W = 190;
const G_X = 6;
const D_X = VIEW_W - 6 - COL_W;
const TOP = 30;
const GAP = 5;

const KIND_LABEL: Record<LayerSpec['kind'], string> = { dense: 'dense', conv: 'conv', toRGB: 'toRGB', fromRGB: 'fromRGB', score: 'score' };

/** Feature channels a layer is drawn with (its width in the picture). */
function channelsOf(l: LayerSpec): number {
  if (l.kind === 'dense') return l.net === 'G' ? l.out / 16 : l.out; // G's dense layer makes a 4×4 map
  if (l.kind === 'score') return 1;
  if (l.kind === 'toRGB') return l.in;
  return l.out;
}

/** Block height by resolution: convs at 32×32 are drawn taller than at 4×4. */
function heightOf(l: LayerSpec): number {
  if (l.kind === 'conv') return 16 + 1.5 * l.res;
  return 17;
}

export function describeLayer(l: LayerSpec): string {
  const net = l.net === 'G' ? 'Generator' : 'Discriminator';
  const shape = l.kind === 'dense' || l.kind === 'score' ? `${l.in} → ${l.out} features` : `${l.kernel}×${l.kernel} kernel, ${l.in} → ${l.out} channels at ${l.res}×${l.res}`;
  const fade = l.fade === 'new' ? ', new: fading in' : l.fade === 'old' ? ', old: fading out' : '';
  return `${net} ${KIND_LABEL[l.kind]}: ${shape}, ${l.params.toLocaleString('en-US')} parameters, ${formatFlops(l.flops)} per image${fade}`;
}

/** True when G and D differ in depth or kernels at some resolution (DGGAN grows them apart). */
export function isAsymmetric(m: ModelView): boolean {
  const shape = (blocks: ModelView['genome']['g']['blocks']) =>
    blocks.map((b) => `${b.res}:${b.layers.map((l) => l.kernel).sort().join('.')}`).join('|');
  return shape(m.genome.g.blocks) !== shape(m.genome.d.blocks);
}

interface Placed {
  layer: LayerSpec;
  x: number;
  y: number;
  w: number;
  h: number;
}

function place(layers: LayerSpec[], x0: number, maxChannels: number): { placed: Placed[]; bottom: number } {
  const width = (l: LayerSpec) => Math.round(40 + (COL_W - 40) * Math.sqrt(channelsOf(l) / maxChannels));
  const placed: Placed[] = [];
  let y = TOP;
  for (const l of layers.filter((l) => l.fade !== 'old')) {
    const w = width(l);
    const h = heightOf(l);
    placed.push({ layer: l, x: x0 + (COL_W - w) / 2, y, w, h });
    y += h + GAP;
  }
  // The old image-side layer (fading out) is drawn behind the new one, offset, and first so it stays behind.
  const old: Placed[] = [];
  for (const l of layers.filter((l) => l.fade === 'old')) {
    const twin = placed.find((p) => p.layer.kind === l.kind);
    if (!twin) continue;
    const w = width(l);
    old.push({ layer: l, x: Math.min(x0 + COL_W - w, twin.x + 12), y: twin.y + 6, w, h: twin.h });
  }
  return { placed: [...old, ...placed], bottom: y + (old.length > 0 ? 6 : 0) };
}

function LayerBlock({ p, alpha, focused, onFocus }: { p: Placed; alpha: number; focused: boolean; onFocus: (id: string | null) => void }) {
  const l = p.layer;
  const cls = ['layer', `layer-${l.kind}`, l.fade ? `layer-${l.fade}` : '', focused ? 'layer-focused' : ''].filter(Boolean).join(' ');
  const opacity = l.fade === 'new' ? 0.35 + 0.65 * alpha : l.fade === 'old' ? Math.max(0.15, 1 - alpha) : 1;
  const text =
    l.kind === 'conv'
      ? `${l.kernel}×${l.kernel} · ${l.out}`
      : l.kind === 'dense'
        ? l.net === 'G'
          ? `dense → 4×4×${l.out / 16}`
          : `dense · ${l.out}`
        : l.kind === 'score'
          ? 'score'
          : `${KIND_LABEL[l.kind]} · ${channelsOf(l)}`;
  return (
    <g
      className={cls}
      tabIndex={0}
      role="img"
      aria-label={describeLayer(l)}
      data-layer={l.id}
      data-fade={l.fade ?? ''}
      onMouseEnter={() => onFocus(l.id)}
      onMouseLeave={() => onFocus(null)}
      onFocus={() => onFocus(l.id)}
      onBlur={() => onFocus(null)}
    >
      <rect x={p.x} y={p.y} width={p.w} height={p.h} rx={3} opacity={l.fade === 'old' ? opacity : 1} fillOpacity={opacity} />
      {l.fade !== 'old' && (
        <text x={p.x + p.w / 2} y={p.y + p.h / 2} dominantBaseline="central" textAnchor="middle">
          {text}
        </text>
      )}
    </g>
  );
}

function ArchitectureSvg({ model, alpha }: { model: ModelView; alpha: number }) {
  const [focusId, setFocusId] = useState<string | null>(null);
  const g = model.layers.filter((l) => l.net === 'G');
  // D is drawn score at the top, image at the bottom, so both networks meet at the image.
  const d = model.layers.filter((l) => l.net === 'D').reverse();
  const maxChannels = Math.max(...model.layers.map(channelsOf));
  const gp = place(g, G_X, maxChannels);
  const dp = place(d, D_X, maxChannels);
  const bottom = Math.max(gp.bottom, dp.bottom);
  const height = bottom + 46;
  const focused = model.layers.find((l) => l.id === focusId) ?? null;

  // Resolution labels on the outer side, at the first conv of each resolution.
  const resLabels = (placed: Placed[], side: 'left' | 'right') => {
    const seen = new Set<number>();
    return placed
      .filter((p) => p.layer.kind === 'conv' && !seen.has(p.layer.res) && seen.add(p.layer.res))
      .map((p) => (
        <text key={`${side}${p.layer.res}`} className="res-label" x={side === 'left' ? G_X + COL_W + 6 : D_X - 6} y={p.y + 13} textAnchor={side === 'left' ? 'start' : 'end'}>
          {p.layer.res}×{p.layer.res}
        </text>
      ));
  };
  const fading = model.layers.some((l) => l.fade === 'new');

  return (
    <>
      <svg className="arch-svg" viewBox={`0 0 ${VIEW_W} ${height}`} role="group" aria-label={`Generator and discriminator, ${model.resolution}×${model.resolution}`}>
        <text className="col-title" x={G_X + COL_W / 2} y={14} textAnchor="middle">
          G · from noise z ({model.genome.g.latent})
        </text>
        <text className="col-title" x={D_X + COL_W / 2} y={14} textAnchor="middle">
          D · real or fake? (score)
        </text>
        {gp.placed.map((p) => (
          <LayerBlock key={p.layer.id} p={p} alpha={alpha} focused={focusId === p.layer.id} onFocus={setFocusId} />
        ))}
        {dp.placed.map((p) => (
          <LayerBlock key={p.layer.id} p={p} alpha={alpha} focused={focusId === p.layer.id} onFocus={setFocusId} />
        ))}
        {resLabels(gp.placed, 'left')}
        {resLabels(dp.placed, 'right')}
        <g className="image-link" aria-hidden="true">
          <path d={`M ${G_X + COL_W / 2} ${gp.bottom} V ${bottom + 18} H ${D_X + COL_W / 2} V ${dp.bottom}`} />
          <rect x={VIEW_W / 2 - 60} y={bottom + 6} width={120} height={26} rx={4} />
          <text x={VIEW_W / 2} y={bottom + 19} dominantBaseline="central" textAnchor="middle">
            image {model.resolution}×{model.resolution}
          </text>
        </g>
      </svg>
      <p className="layer-details" aria-live="polite" data-testid="layer-details">
        {focused ? describeLayer(focused) : fading ? `New layers (orange) are fading in: α = ${alpha.toFixed(2)}. Hover or focus a layer for its details.` : 'Hover or focus a layer for its kernel, widths, parameters and FLOPs.'}
      </p>
    </>
  );
}

function Timeline() {
  const growths = useAppStore((s) => s.run.growths);
  const notes = useAppStore((s) => s.run.notes);
  const config = useAppStore((s) => s.run.config);
  if (!config) return null;
  // Growths and notes (rollbacks, backend restarts) in the order they happened.
  const entries = [...growths.map((g) => ({ kind: 'growth' as const, images: g.images, g })), ...notes.map((n) => ({ kind: 'note' as const, images: n.images, n }))].sort(
    (a, b) => a.images - b.images,
  );
  return (
    <div className="timeline-wrap">
      <h3 id="timeline-heading">Growth timeline</h3>
      <ol className="timeline" aria-labelledby="timeline-heading" data-testid="timeline" data-count={growths.length}>
        <li>
          <span className="tl-stage">stage 0</span> <span className="tl-action">base 4×4</span>{' '}
          <span className="tl-why">G and D start with one 3×3 conv of {config.width} channels each</span>
        </li>
        {entries.map((e, i) =>
          e.kind === 'growth' ? (
            <li key={`g-${e.g.stage}-${e.g.images}`}>
              <span className="tl-stage">stage {e.g.stage}</span> <span className="tl-images">at {formatK(e.g.images)} images</span>{' '}
              <code className="tl-action">{e.g.action}</code>{' '}
              <span className="tl-res">
                {e.g.action.startsWith('res') ? '→' : 'at'} {e.g.resolution}×{e.g.resolution}
              </span>{' '}
              <span className="tl-why">{e.g.reason}</span>
            </li>
          ) : (
            <li key={`n-${i}`} className="tl-note" data-testid="timeline-note">
              <span className="tl-images">at {formatK(e.n.images)} images</span> <span className="tl-why">⚠ {e.n.text}</span>
            </li>
          ),
        )}
      </ol>
    </div>
  );
}

export function Architecture() {
  const model = useAppStore((s) => s.run.model);
  const alpha = useAppStore((s) => s.run.alpha);
  const asym = model ? isAsymmetric(model) : false;
  return (
    <section aria-labelledby="arch-heading" className="panel architecture">
      <PanelHeading id="arch-heading" view="architecture" title="Architecture">
        {model && <span className="model-label">{model.label}</span>}
      </PanelHeading>
      <InfoText view="architecture">
        <p>
          Each block is one layer: its <strong>height</strong> grows with the resolution it works at, its <strong>width</strong> with
          its channels. G turns noise into an image (top to bottom); D reads the image (bottom to top) and scores it. A growth adds
          layers, shown in orange while they fade in: their output is blended with the old path by α, which goes from 0 to 1.
        </p>
        <p>
          ProGAN grows G and D in lockstep. The dynamic search may grow only one of them, so they become <em>asymmetric</em>: a
          discriminator and a generator need not have the same shape to be matched.
        </p>
      </InfoText>
      {model ? (
        <div
          data-testid="architecture"
          data-resolution={model.resolution}
          data-g-depth={model.G.depth}
          data-d-depth={model.D.depth}
          data-fading={String(model.layers.some((l) => l.fade === 'new'))}
        >
          <p className="arch-summary">
            <span>
              <strong>G</strong> {model.G.depth} conv{model.G.depth === 1 ? '' : 's'} · {formatCount(model.G.params)} params · {formatFlops(model.G.flops)}
            </span>
            <span>
              <strong>D</strong> {model.D.depth} conv{model.D.depth === 1 ? '' : 's'} · {formatCount(model.D.params)} params · {formatFlops(model.D.flops)}
            </span>
            {asym && <span className="badge badge-info">asymmetric</span>}
          </p>
          <ArchitectureSvg model={model} alpha={alpha} />
        </div>
      ) : (
        <p className="muted">Start a run to see G and D, and watch them grow.</p>
      )}
      <Timeline />
    </section>
  );
}
