/**
 * The ProGAN baseline schedule: G and D grow in lockstep, one 3×3 block per resolution, at fixed
 * widths (ProGAN's min(8192/2^stage, 512), scaled down: the base width up to 16×16, then halving).
 */
import type { GrowthAction } from './actions';

export function proganWidth(res: number, baseWidth: number, minWidth = 8): number {
  return Math.max(minWidth, Math.min(baseWidth, Math.round((baseWidth * 16) / res)));
}

export function proganActions(fromRes: number, toRes: number, baseWidth: number, minWidth = 8): GrowthAction[] {
  const actions: GrowthAction[] = [];
  for (let res = fromRes * 2; res <= toRes; res *= 2) {
    const w = proganWidth(res, baseWidth, minWidth);
    actions.push({ kind: 'res', gWidth: w, dWidth: w });
  }
  return actions;
}
