import { describe, expect, it } from 'vitest';
import { growthCheck } from '../../src/core/bench/growthCheck';
import { useBackend } from './helpers';

describe('growth sequence on every Node backend', () => {
  it.each(['wasm', 'cpu'] as const)('%s: trains, grows and leaks nothing', async (backend) => {
    await useBackend(backend);
    const r = await growthCheck();
    expect(r.backend).toBe(backend);
    expect(r.resolutions).toEqual([4, 4, 8, 8]);
    expect(r.losses.length).toBe(4 * 4 * 2);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    for (const [a, b] of r.lastSteps) expect(b).toBe(a);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    await useBackend('wasm');
  });
});
