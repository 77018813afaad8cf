import { describe, expect, it } from 'vitest';
import type { GrowthAction } from '../../src/core/actions';
import { Rng } from '../../src/core/rng';
import { doublingsTo, mustGrowResolution, proposeCandidates, type Proposal } from '../../src/core/search/propose';

const g = (kernel: number): GrowthAction => ({ kind: 'g', kernel, width: 16 });
const d = (kernel: number): GrowthAction => ({ kind: 'd', kernel, width: 16 });
const res = (w: number): GrowthAction => ({ kind: 'res', gWidth: w, dWidth: w });
const proposals = (parent: string, n = 4): Proposal<string>[] =>
  [...Array.from({ length: n }, (_, i) => g(2 * i + 1)), ...Array.from({ length: n }, (_, i) => d(2 * i + 1)), res(8), res(16)].map((action) => ({ parent, action }));
const kinds = (xs: Proposal<string>[]) => new Set(xs.map((x) => x.action.kind));

describe('candidate proposals', () => {
  it('represents every kind of action even when p keeps almost nothing', () => {
    for (let seed = 0; seed < 20; seed++) {
      const out = proposeCandidates(proposals('a'), new Rng(seed), { keepProbability: 0.01, minCandidates: 2, room: 10 });
      expect(kinds(out)).toEqual(new Set(['g', 'd', 'res']));
    }
  });

  it('keeps at least minCandidates, and every candidate is a proposal, in proposal order', () => {
    const all = [...proposals('best'), ...proposals('second')];
    const out = proposeCandidates(all, new Rng(3), { keepProbability: 0, minCandidates: 5, room: 10 });
    expect(out).toHaveLength(5);
    const at = out.map((x) => all.indexOf(x));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('caps candidates at the room the budget leaves, dropping the most crowded kind first', () => {
    for (let seed = 0; seed < 20; seed++) {
      const out = proposeCandidates(proposals('a', 8), new Rng(seed), { keepProbability: 1, minCandidates: 2, room: 3 });
      expect(out).toHaveLength(3);
      expect(kinds(out)).toEqual(new Set(['g', 'd', 'res']));
    }
  });

  it('never drops below minCandidates for lack of room', () => {
    const out = proposeCandidates(proposals('a'), new Rng(1), { keepProbability: 1, minCandidates: 2, room: 0 });
    expect(out).toHaveLength(2);
  });

  it('only resolution growths when they are all that is proposed', () => {
    const all = proposals('a').filter((x) => x.action.kind === 'res');
    expect(kinds(proposeCandidates(all, new Rng(1), { keepProbability: 0.5, minCandidates: 3, room: 5 }))).toEqual(new Set(['res']));
  });
});

describe('resolution deadline', () => {
  it('counts doublings to the data resolution', () => {
    expect(doublingsTo(4, 32)).toBe(3);
    expect(doublingsTo(32, 32)).toBe(0);
  });

  it('forces resolution growth when the images left pay only for the growths still needed', () => {
    // 3 doublings at 5 kimg a stage: 20 kimg pays for one free stage and the 3 growths.
    expect(mustGrowResolution(3, 20_000, 5_000)).toBe(false);
    expect(mustGrowResolution(3, 19_999, 5_000)).toBe(true);
    expect(mustGrowResolution(0, 0, 5_000)).toBe(false);
  });
});
