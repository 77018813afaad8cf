/**
 * Which candidates a growth stage trains: the proposals of the top-K parents, sampled.
 *
 * - Every legal action of every parent is kept with probability p.
 * - Each kind of action (G conv, D conv, resolution growth) that some parent can take is
 *   represented by at least one candidate, so a small sample never leaves a whole kind untried.
 * - Deadline: the search must end at the data resolution. When the images left would not pay for
 *   the resolution growths a parent still needs (one growth stage each) plus one more stage, that
 *   parent proposes only resolution growths; a parent that could not get there even so proposes
 *   nothing (search.ts), and the stage trains no more candidates than the deadline reserved.
 * - No more candidates than the budget can train while leaving a training stage; the cap drops
 *   candidates of the most represented kind first.
 */
import type { GrowthAction } from '../actions';
import type { Rng } from '../rng';

export interface Proposal<P> {
  parent: P;
  action: GrowthAction;
}

export interface ProposeOptions {
  keepProbability: number;
  minCandidates: number;
  /** Most candidates the budget allows (at least minCandidates are kept when possible). */
  room: number;
}

/** Resolution doublings from `res` to `target`. */
export const doublingsTo = (res: number, target: number) => Math.max(0, Math.round(Math.log2(target / res)));

/**
 * True when a parent `doublings` away from the data resolution must grow its resolution now:
 * the images left cover no more than the growth stages it still needs plus this one.
 */
export function mustGrowResolution(doublings: number, imagesLeft: number, stageCost: number): boolean {
  return doublings > 0 && imagesLeft < (doublings + 1) * stageCost;
}

/** True when even growing the resolution at every remaining stage would not reach the data resolution. */
export function cannotReach(doublings: number, imagesLeft: number, stageCost: number): boolean {
  return doublings > 0 && imagesLeft < doublings * stageCost;
}

export function proposeCandidates<P>(all: Proposal<P>[], rng: Rng, o: ProposeOptions): Proposal<P>[] {
  const kept = all.filter(() => rng.next() < o.keepProbability);
  const rest = () => all.filter((x) => !kept.includes(x));
  const pick = (xs: Proposal<P>[]) => kept.push(xs[rng.int(xs.length)]!);
  for (const kind of ['g', 'd', 'res'] as const)
    if (!kept.some((x) => x.action.kind === kind)) {
      const ofKind = rest().filter((x) => x.action.kind === kind);
      if (ofKind.length > 0) pick(ofKind);
    }
  while (kept.length < Math.min(o.minCandidates, all.length)) pick(rest());
  const cap = Math.max(Math.min(o.minCandidates, kept.length), o.room);
  while (kept.length > cap) {
    const count = (k: string) => kept.filter((x) => x.action.kind === k).length;
    const most = Math.max(...kept.map((x) => count(x.action.kind)));
    const crowded = kept.filter((x) => count(x.action.kind) === most);
    kept.splice(kept.indexOf(crowded[rng.int(crowded.length)]!), 1);
  }
  // Train in proposal order (parents best first), whatever order sampling added them in.
  return all.filter((x) => kept.includes(x));
}
