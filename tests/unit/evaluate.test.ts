import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE, parseActions } from '../../src/core/actions';
import { makeShapes } from '../../src/core/data/shapes';
import { evaluate } from '../../src/core/evaluate';
import { createBaseGenome } from '../../src/core/genome';
import { loadFeatureNet } from '../../src/core/metrics/featureNets';
import { Rng } from '../../src/core/rng';
import { DEFAULT_TRAINER, Trainer } from '../../src/core/trainer';
import { encodeNpy } from '../../src/cli/npy';
import { useBackend } from './helpers';

const BIN = join(__dirname, '../../bin/growlab.js');
const growlab = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('stage evaluation', () => {
  beforeAll(() => useBackend('wasm'));

  it('measures SWD, FID, KID and class coverage of the EMA generator, labelled with what they used', async () => {
    const data = makeShapes({ count: 64, size: 16, seed: 2 });
    const config = { ...DEFAULT_TRAINER, fadeImages: 0, space: { ...DEFAULT_SPACE, maxResolution: 16 } };
    const trainer = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), config, new Rng(1));
    for (const a of parseActions('res:8,res:8')) trainer.grow(a);
    const net = await loadFeatureNet('shapes');
    const m = await evaluate(trainer, data, net, { metrics: ['swd', 'fid', 'kid'], n: 48, seed: 3 });
    expect(m.resolution).toBe(16);
    expect(m.swd!.levels.map((l) => l.res)).toEqual([16]);
    expect(m.swd!.avg).toBeGreaterThan(0);
    expect(m.fid!.value).toBeGreaterThan(0);
    expect(m.fid!.label).toBe('FID (Shapes-LeNet, N = 48, 16×16)');
    expect(Number.isFinite(m.kid!.mean)).toBe(true);
    expect(m.coverage!.classes).toBe(3);
    // An untrained generator is far from the data; the data is close to itself.
    const again = await evaluate(trainer, data, net, { metrics: ['swd', 'fid', 'kid'], n: 48, seed: 3 });
    expect(again.fid!.value).toBe(m.fid!.value);
    trainer.dispose();
    net.dispose();
  });
});

describe('growlab metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'growlab-metrics-'));
  const set = (seed: number) => {
    const s = makeShapes({ count: 40, size: 16, seed });
    const path = join(dir, `shapes-${seed}.npy`);
    writeFileSync(path, encodeNpy(s.pixels, [s.count, 16, 16, 3]));
    return path;
  };

  it('prints one JSON object with SWD, FID, KID, coverage, and saves the features', () => {
    const [a, b] = [set(1), set(2)];
    const feats = join(dir, 'features');
    const { code, out, err } = growlab('metrics', '--real', a, '--fake', b, '--features', 'shapes', '--json', '--save-features', feats);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.swd.avg).toBeGreaterThan(0);
    expect(r.fid.label).toBe('FID (Shapes-LeNet, N = 40/40)');
    expect(r.kid.label).toMatch(/^KID \(Shapes-LeNet/);
    expect(r.coverage.classNames).toEqual(['disc', 'square', 'triangle']);
    expect(existsSync(join(feats, 'real_features.npy'))).toBe(true);
    expect(existsSync(join(feats, 'fake_features.npy'))).toBe(true);
  });

  it.each([
    [['--real', 'nope', '--fake', 'nope', '--metrics', 'swd'], /nope does not exist/],
    [['--real', '__A__', '--fake', '__A__', '--metrics', 'fid'], /FID and KID need --features/],
    [['--real', '__A__', '--fake', '__A__', '--features', 'imagenet'], /no such feature network/],
    [['--real', '__A__', '--fake', '__A__', '--metrics', 'psnr'], /unknown metric 'psnr'/],
  ])('rejects %j with a clear message', (args, message) => {
    const a = set(3);
    const { code, err } = growlab('metrics', ...args.map((x) => (x === '__A__' ? a : x)));
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
  });
});
