/**
 * GrowthAction: one step of growth, and which steps are legal from a genome.
 *
 * - `g`:   a conv layer on top of G's top block (right before toRGB), `width` output channels;
 * - `d`:   a conv layer at the bottom of D's bottom block (right after fromRGB), `width` input
 *          channels, writing what the old fromRGB wrote;
 * - `res`: both grow to twice the resolution: a 3×3 conv block on top of G (`gWidth` channels) and
 *          one at the bottom of D (`dWidth` channels).
 * Every action fades in (see model.ts): at α = 0 the child computes exactly what the parent did.
 */
import { cloneGenome, GenomeError, lastLayer, resolutionOf, validateGenome, type Genome } from './genome';

export type GrowthAction =
  | { kind: 'g'; kernel: number; width: number }
  | { kind: 'd'; kernel: number; width: number }
  | { kind: 'res'; gWidth: number; dWidth: number };

export interface ActionSpace {
  kernels: number[];
  /** Candidate widths as multiples of the current width at the growth point. */
  widthFactors: number[];
  minWidth: number;
  maxWidth: number;
  /** The data set's resolution: resolution growth stops there. */
  maxResolution: number;
}

export const DEFAULT_SPACE: ActionSpace = {
  kernels: [1, 3, 5],
  widthFactors: [0.5, 1, 2],
  minWidth: 8,
  maxWidth: 256,
  maxResolution: 32,
};

export class ActionError extends Error {
  override name = 'ActionError';
}

export function formatAction(a: GrowthAction): string {
  if (a.kind === 'res') return a.gWidth === a.dWidth ? `res:${a.gWidth}` : `res:${a.gWidth}/${a.dWidth}`;
  return `${a.kind}:${a.kernel}x${a.kernel}x${a.width}`;
}

const CONV_RE = /^(g|d):(\d+)x(\d+)x(\d+)$/;
const RES_RE = /^res:(\d+)(?:\/(\d+))?$/;

/** Parses `g:3x3x32`, `d:5x5x16`, `res:32` or `res:32/16` (G width / D width). */
export function parseAction(text: string): GrowthAction {
  const s = text.trim().toLowerCase();
  const conv = CONV_RE.exec(s);
  if (conv) {
    const [, kind, kh, kw, width] = conv;
    if (kh !== kw) throw new ActionError(`'${text}': kernels are square, got ${kh}x${kw}`);
    return { kind: kind as 'g' | 'd', kernel: Number(kh), width: Number(width) };
  }
  const res = RES_RE.exec(s);
  if (res) {
    const gWidth = Number(res[1]);
    return { kind: 'res', gWidth, dWidth: res[2] === undefined ? gWidth : Number(res[2]) };
  }
  throw new ActionError(
    `'${text}' is not a growth action: use g:KxKxW (conv on G), d:KxKxW (conv on D) or res:W[/Wd] (double the resolution)`,
  );
}

export function parseActions(list: string): GrowthAction[] {
  return list
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(parseAction);
}

/** Why `action` is illegal on `genome` within `space`, or null when it is legal. */
export function whyIllegal(genome: Genome, action: GrowthAction, space: ActionSpace): string | null {
  const res = resolutionOf(genome);
  const checkWidth = (w: number, what: string) =>
    !Number.isInteger(w) || w < space.minWidth || w > space.maxWidth
      ? `${what} ${w} is outside the action space [${space.minWidth}, ${space.maxWidth}]`
      : null;
  if (genome.fade) return `a fade-in (${formatAction(genome.fade.action)}) is still in progress; finish it first`;
  if (action.kind === 'res') {
    if (res * 2 > space.maxResolution)
      return `cannot grow to ${res * 2}×${res * 2}: beyond the data resolution ${space.maxResolution}×${space.maxResolution}`;
    return checkWidth(action.gWidth, 'G width') ?? checkWidth(action.dWidth, 'D width');
  }
  if (!space.kernels.includes(action.kernel))
    return `kernel ${action.kernel}×${action.kernel} is not in the action space {${space.kernels.join(', ')}}`;
  if (action.kernel > res) return `kernel ${action.kernel}×${action.kernel} is larger than the ${res}×${res} feature map`;
  return checkWidth(action.width, 'width');
}

const uniqueSorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** Every legal action from `genome`: G and D convs for each kernel × width, and resolution growth. */
export function legalActions(genome: Genome, space: ActionSpace): GrowthAction[] {
  if (genome.fade) return [];
  const gTop = genome.g.toRGB.width;
  const dBottom = genome.d.fromRGB.width;
  const widths = (c: number) =>
    uniqueSorted(space.widthFactors.map((f) => Math.min(space.maxWidth, Math.max(space.minWidth, Math.round(c * f)))));
  const out: GrowthAction[] = [];
  for (const kernel of space.kernels) {
    for (const width of widths(gTop)) out.push({ kind: 'g', kernel, width });
    for (const width of widths(dBottom)) out.push({ kind: 'd', kernel, width });
  }
  for (const gWidth of widths(gTop)) out.push({ kind: 'res', gWidth, dWidth: widths(dBottom).includes(gWidth) ? gWidth : dBottom });
  return out.filter((a) => whyIllegal(genome, a, space) === null);
}

/**
 * The child genome after `action`, with its fade-in pending (`genome.fade`). Throws ActionError
 * naming the reason when the action is illegal.
 */
export function applyAction(parent: Genome, action: GrowthAction, space: ActionSpace): Genome {
  const why = whyIllegal(parent, action, space);
  if (why) throw new ActionError(`illegal action ${formatAction(action)}: ${why}`);
  const child = cloneGenome(parent);
  const newId = (prefix: string) => `${prefix}${child.nextId++}`;
  const gTop = child.g.blocks[child.g.blocks.length - 1]!;
  const dBottom = child.d.blocks[child.d.blocks.length - 1]!;
  const oldToRGB = child.g.toRGB;
  const oldFromRGB = child.d.fromRGB;
  const newIds: string[] = [];

  if (action.kind === 'g') {
    const layer = { id: newId('g'), kernel: action.kernel, in: lastLayer(gTop).out, out: action.width };
    gTop.layers.push(layer);
    child.g.toRGB = { id: newId('g'), width: action.width };
    newIds.push(layer.id, child.g.toRGB.id);
    child.fade = { action, newIds, oldToRGB };
  } else if (action.kind === 'd') {
    const layer = { id: newId('d'), kernel: action.kernel, in: action.width, out: oldFromRGB.width };
    dBottom.layers.unshift(layer);
    child.d.fromRGB = { id: newId('d'), width: action.width };
    newIds.push(layer.id, child.d.fromRGB.id);
    child.fade = { action, newIds, oldFromRGB };
  } else {
    const res = resolutionOf(parent) * 2;
    const gLayer = { id: newId('g'), kernel: 3, in: lastLayer(gTop).out, out: action.gWidth };
    child.g.blocks.push({ res, layers: [gLayer] });
    child.g.toRGB = { id: newId('g'), width: action.gWidth };
    const dLayer = { id: newId('d'), kernel: 3, in: action.dWidth, out: oldFromRGB.width };
    child.d.blocks.push({ res, layers: [dLayer] });
    child.d.fromRGB = { id: newId('d'), width: action.dWidth };
    newIds.push(gLayer.id, child.g.toRGB.id, dLayer.id, child.d.fromRGB.id);
    child.fade = { action, newIds, oldToRGB, oldFromRGB };
  }
  try {
    return validateGenome(child);
  } catch (e) {
    throw new ActionError(`action ${formatAction(action)} produced an invalid genome: ${(e as GenomeError).message}`);
  }
}

/** The genome once its fade-in has reached α = 1: the old image-side layers are gone. */
export function completeFade(genome: Genome): Genome {
  if (!genome.fade) return genome;
  const done = cloneGenome(genome);
  done.fade = null;
  return done;
}
