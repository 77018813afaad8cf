import { describe, expect, it } from 'vitest';
import {
  ActionError,
  applyAction,
  completeFade,
  DEFAULT_SPACE,
  formatAction,
  legalActions,
  parseAction,
  parseActions,
} from '../../src/core/actions';
import { createBaseGenome, resolutionOf } from '../../src/core/genome';

const space = { ...DEFAULT_SPACE, maxResolution: 16 };

describe('GrowthAction', () => {
  it('parses and formats the CLI syntax', () => {
    expect(parseActions('g:3x3x32, res:32,d:5x5x16,res:32/16')).toEqual([
      { kind: 'g', kernel: 3, width: 32 },
      { kind: 'res', gWidth: 32, dWidth: 32 },
      { kind: 'd', kernel: 5, width: 16 },
      { kind: 'res', gWidth: 32, dWidth: 16 },
    ]);
    for (const s of ['g:3x3x32', 'd:1x1x8', 'res:64', 'res:32/16']) expect(formatAction(parseAction(s))).toBe(s);
    expect(() => parseAction('g:3x5x32')).toThrow(/square/);
    expect(() => parseAction('grow')).toThrow(ActionError);
  });

  it('enumerates only legal actions', () => {
    const base = createBaseGenome({ channels: 3, width: 32 });
    const legal = legalActions(base, space);
    // At 4×4 the 5×5 kernel does not fit; 1×1 and 3×3 at 3 widths for G and D, plus 3 resolution growths.
    expect(legal.filter((a) => a.kind === 'g')).toHaveLength(6);
    expect(legal.filter((a) => a.kind === 'd')).toHaveLength(6);
    expect(legal.filter((a) => a.kind === 'res')).toHaveLength(3);
    expect(legal.some((a) => a.kind !== 'res' && a.kernel === 5)).toBe(false);
    let g = base;
    g = completeFade(applyAction(g, { kind: 'res', gWidth: 32, dWidth: 32 }, space));
    g = completeFade(applyAction(g, { kind: 'res', gWidth: 16, dWidth: 16 }, space));
    expect(resolutionOf(g)).toBe(16);
    const at16 = legalActions(g, space);
    expect(at16.some((a) => a.kind === 'res')).toBe(false);
    expect(at16.some((a) => a.kind === 'g' && a.kernel === 5)).toBe(true);
    for (const a of at16) expect(() => applyAction(g, a, space)).not.toThrow();
  });

  it('names the reason an action is illegal', () => {
    const base = createBaseGenome({ channels: 3, width: 32 });
    expect(() => applyAction(base, { kind: 'g', kernel: 5, width: 32 }, space)).toThrow(
      /kernel 5×5 is larger than the 4×4 feature map/,
    );
    expect(() => applyAction(base, { kind: 'd', kernel: 3, width: 4 }, space)).toThrow(/width 4 is outside the action space/);
    expect(() => applyAction(base, { kind: 'g', kernel: 7, width: 32 }, space)).toThrow(/not in the action space/);
    const tiny = { ...space, maxResolution: 4 };
    expect(() => applyAction(base, { kind: 'res', gWidth: 32, dWidth: 32 }, tiny)).toThrow(/beyond the data resolution 4×4/);
    const fading = applyAction(base, { kind: 'g', kernel: 3, width: 32 }, space);
    expect(() => applyAction(fading, { kind: 'd', kernel: 3, width: 32 }, space)).toThrow(/fade-in .* still in progress/);
    expect(legalActions(fading, space)).toEqual([]);
  });

  it('keeps every parent layer id and adds new ones', () => {
    const base = createBaseGenome({ channels: 3, width: 32 });
    const child = applyAction(base, { kind: 'res', gWidth: 16, dWidth: 64 }, space);
    const ids = (g: typeof base) => [...g.g.blocks, ...g.d.blocks].flatMap((b) => b.layers.map((l) => l.id));
    expect(ids(child)).toEqual(expect.arrayContaining(ids(base)));
    expect(child.fade?.newIds).toHaveLength(4);
    expect(child.fade?.oldToRGB).toEqual(base.g.toRGB);
    expect(child.fade?.oldFromRGB).toEqual(base.d.fromRGB);
  });
});
