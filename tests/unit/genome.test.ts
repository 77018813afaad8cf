import { describe, expect, it } from 'vitest';
import { applyAction, completeFade, DEFAULT_SPACE, parseActions } from '../../src/core/actions';
import { describeLayers, summarize } from '../../src/core/architecture';
import { createBaseGenome, GenomeError, parseGenome, validateGenome, type Genome } from '../../src/core/genome';

const space = { ...DEFAULT_SPACE, maxResolution: 32 };

function grow(genome: Genome, actions: string): Genome {
  return parseActions(actions).reduce((g, a) => completeFade(applyAction(g, a, space)), genome);
}

describe('Genome', () => {
  it('describes the base GAN with closed-form parameter counts and FLOPs', () => {
    const g = createBaseGenome({ channels: 3, latent: 16, width: 8 });
    const s = summarize(g);
    // G: dense 16→4·4·8 (+bias), conv 3×3 8→8, toRGB 1×1 8→3.
    expect(s.G.params).toBe(16 * 128 + 128 + (9 * 8 * 8 + 8) + (8 * 3 + 3));
    // D: fromRGB 3→8, conv 3×3 (8+1 mbstd)→8, dense 128→8, score 8→1.
    expect(s.D.params).toBe(3 * 8 + 8 + (9 * 9 * 8 + 8) + (128 * 8 + 8) + (8 + 1));
    expect(s.G.flops).toBe(2 * (16 * 128 + 9 * 8 * 8 * 16 + 8 * 3 * 16));
    expect(s.G.depth).toBe(1);
    expect(s.D.depth).toBe(1);
    expect(s.resolution).toBe(4);
  });

  it('grows G and D asymmetrically in depth and width', () => {
    const g = grow(createBaseGenome({ channels: 3, width: 32 }), 'g:3x3x32,res:32/16,d:5x5x16,g:1x1x64,d:3x3x8');
    const s = summarize(g);
    expect(s.resolution).toBe(8);
    expect(s.G.depth).toBe(4);
    expect(s.D.depth).toBe(4);
    expect(g.g.toRGB.width).toBe(64);
    expect(g.d.fromRGB.width).toBe(8);
    expect(g.g.blocks.map((b) => b.layers.map((l) => `${l.kernel}:${l.in}->${l.out}`))).toEqual([
      ['3:32->32', '3:32->32'],
      ['3:32->32', '1:32->64'],
    ]);
    expect(g.d.blocks.map((b) => b.layers.map((l) => `${l.kernel}:${l.in}->${l.out}`))).toEqual([
      ['3:32->32'],
      ['3:8->16', '5:16->16', '3:16->32'],
    ]);
    expect(s.G.params).not.toBe(s.D.params);
    // Layer shapes: every conv weight is [k, k, in, out].
    for (const l of describeLayers(g).filter((l) => l.kind === 'conv')) expect(l.shape).toEqual([l.kernel, l.kernel, l.in, l.out]);
  });

  it('round-trips through JSON', () => {
    const g = applyAction(grow(createBaseGenome({ channels: 1 }), 'res:32,d:3x3x16'), { kind: 'g', kernel: 5, width: 16 }, space);
    expect(parseGenome(JSON.stringify(g))).toEqual(g);
  });

  it('rejects malformed genomes with messages naming the problem', () => {
    const base = createBaseGenome({ channels: 3, width: 16 });
    expect(() => parseGenome('{oops')).toThrow(/not JSON/);
    expect(() => validateGenome({ ...base, channels: 2 })).toThrow(GenomeError);
    expect(() => validateGenome({ ...base, version: 7 })).toThrow(/version/);
    const broken = structuredClone(base);
    broken.g.toRGB.width = 99;
    expect(() => validateGenome(broken)).toThrow(/toRGB reads 99 channels but the top layer writes 16/);
    const even = structuredClone(base);
    even.d.blocks[0]!.layers[0]!.kernel = 2;
    expect(() => validateGenome(even)).toThrow(/kernel 2 must be odd/);
    const dup = structuredClone(base);
    dup.d.blocks[0]!.layers[0]!.id = 'g1';
    expect(() => validateGenome(dup)).toThrow(/used twice/);
  });
});
