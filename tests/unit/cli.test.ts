import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateGenome } from '../../src/core/genome';

const BIN = join(__dirname, '../../bin/growlab.js');

function growlab(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('growlab CLI', () => {
  it('documents every flag in --help', () => {
    const { code, out } = growlab('train', '--help');
    expect(code).toBe(0);
    for (const flag of ['--dataset', '--mode', '--actions', '--kimg-per-stage', '--batch', '--seed', '--out', '--backend', '--loss', '--lr'])
      expect(out).toContain(flag);
  });

  it.each([
    [['train', '--out', 'x', '--bogus'], /unknown option '--bogus'/],
    [['train', '--out', 'x', '--batch', 'many'], /--batch must be a whole number/],
    [['train', '--out', 'x', '--resolution', '30'], /power of two/],
    [['train', '--out', 'x', '--dataset', 'imagenet'], /Allowed choices are mnist, fashion-mnist, emoji, shapes/],
    [['train', '--out', 'x', '--mode', 'manual'], /--mode manual needs --actions/],
    [['train', '--out', 'x', '--actions', 'g:5x5x32'], /action 1 .* is illegal: kernel 5×5 is larger than the 4×4 feature map/],
    [['train', '--out', 'x', '--actions', 'res:64,res:64,res:64,res:64', '--resolution', '16'], /beyond the data resolution 16×16/],
    [['train', '--out', 'x', '--actions', 'grow please'], /not a growth action/],
    [['train', '--actions', 'res:8'], /required option '--out <dir>'/],
    [['train', '--out', 'x', '--mode', 'progan', '--dataset', 'mnist', '--resolution', '64'], /--dataset mnist has 32×32 images, so --resolution can be at most 32 \(got 64\)/],
  ])('rejects bad input %j with a clear message', (args, message) => {
    const { code, err } = growlab(...args);
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it('trains a tiny run and writes run.json with every stage and a grid per stage', () => {
    const out = mkdtempSync(join(tmpdir(), 'growlab-cli-'));
    const { code, out: stdout, err } = growlab(
      'train', '--resolution', '8', '--dataset-size', '32', '--actions', 'g:3x3x8,res:8/16', '--kimg-per-stage', '0.016',
      '--batch', '4', '--width', '8', '--latent', '8', '--samples', '4', '--seed', '3', '--eval-samples', '16', '--out', out,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('stage 2 res:8/16 → 8px');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('done');
    expect(run.backend.backend).toBe('wasm');
    expect(run.stages).toHaveLength(3);
    expect(run.stages.map((s: { action: string | null }) => s.action)).toEqual([null, 'g:3x3x8', 'res:8/16']);
    for (const s of run.stages) validateGenome(s.genome);
    expect(run.stages[2].depth).toEqual({ G: 3, D: 2 });
    expect(run.losses.length).toBe(12);
    expect(run.losses.every((p: { dLoss: number }) => Number.isFinite(p.dLoss))).toBe(true);
    for (const k of [0, 1, 2]) expect(existsSync(join(out, `samples-stage-${k}.png`))).toBe(true);
  });

  it('trains on a built 1-channel set (mnist) pooled to the run resolution', () => {
    const out = mkdtempSync(join(tmpdir(), 'growlab-cli-mnist-'));
    const { code, err } = growlab(
      'train', '--dataset', 'mnist', '--resolution', '8', '--actions', 'res:8', '--kimg-per-stage', '0.008',
      '--batch', '4', '--width', '8', '--latent', '8', '--samples', '4', '--seed', '3', '--eval-samples', '16', '--out', out,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.dataset).toEqual({ name: 'mnist', count: 10_000, size: 8, channels: 1, seed: 3 });
    expect(run.stages[1].genome.channels).toBe(1);
    expect(existsSync(join(out, 'reals.png'))).toBe(true);
  });
});

describe('growlab train --mode dggan', () => {
  it('searches within the image budget and records every candidate', () => {
    const out = mkdtempSync(join(tmpdir(), 'growlab-dggan-'));
    const { code, err } = growlab(
      'train', '--mode', 'dggan', '--resolution', '16', '--budget-kimg', '0.1', '--kimg-per-stage', '0.024', '--candidate-kimg', '0.012',
      '--batch', '4', '--width', '8', '--latent', '8', '--samples', '4', '--eval-samples', '16', '--seed', '2', '--out', out,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('done');
    expect(run.search.imagesUsed).toBeLessThanOrEqual(100);
    expect(run.search.history.length).toBeGreaterThanOrEqual(3);
    for (const c of run.search.history.slice(1)) {
      expect(typeof c.parentId).toBe('number');
      expect(['kid', 'swd']).toContain(c.metric);
    }
    expect(run.stages[0].metrics.n).toBe(16);
    expect(existsSync(join(out, 'samples-final.png'))).toBe(true);
  });

  it('needs a budget', () => {
    const { code, err } = growlab('train', '--mode', 'dggan', '--out', 'x');
    expect(code).toBe(2);
    expect(err).toMatch(/--mode dggan needs --budget-kimg/);
  });
});

describe('growlab compare', () => {
  it('tables finished runs and draws the metric against images with growths marked', () => {
    const base = mkdtempSync(join(tmpdir(), 'growlab-compare-'));
    const common = ['--resolution', '16', '--batch', '4', '--width', '8', '--latent', '8', '--samples', '4', '--eval-samples', '16', '--metrics', 'swd,kid'];
    const progan = join(base, 'progan');
    const dggan = join(base, 'dggan');
    expect(growlab('train', '--mode', 'progan', '--kimg-per-stage', '0.016', ...common, '--out', progan).code).toBe(0);
    expect(growlab('train', '--mode', 'dggan', '--budget-kimg', '0.08', '--kimg-per-stage', '0.016', '--candidate-kimg', '0.008', ...common, '--out', dggan).code).toBe(0);
    const figure = join(base, 'cmp.svg');
    const { code, out, err } = growlab('compare', progan, dggan, '--figure', figure, '--metric', 'kid');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/\| progan \| progan \| shapes \|/);
    expect(out).toMatch(/\| dggan \| dggan \| shapes \|/);
    const svg = readFileSync(figure, 'utf8');
    expect(svg.match(/<polyline/g)?.length).toBe(2);
    expect(svg).toContain('stroke-dasharray'); // progan grew twice
    expect(growlab('compare', join(base, 'missing')).err).toMatch(/run.json does not exist/);
  });
});

describe('growlab train --resume', () => {
  it('continues an interrupted dggan search to exactly the uninterrupted result', () => {
    const base = mkdtempSync(join(tmpdir(), 'growlab-resume-'));
    const args = ['--mode', 'dggan', '--resolution', '16', '--budget-kimg', '0.1', '--kimg-per-stage', '0.016', '--candidate-kimg', '0.008',
      '--batch', '4', '--width', '8', '--latent', '8', '--samples', '4', '--eval-samples', '16', '--metrics', 'kid', '--seed', '4'];
    const whole = join(base, 'whole');
    const cut = join(base, 'cut');
    expect(growlab('train', ...args, '--out', whole).code).toBe(0);
    const r = spawnSync(process.execPath, [BIN, 'train', ...args, '--out', cut], { encoding: 'utf8', env: { ...process.env, GROWLAB_STOP_AT_STAGE: '2' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stopped at growth stage 2/);
    expect(JSON.parse(readFileSync(join(cut, 'run.json'), 'utf8')).status).toBe('failed');
    const resumed = growlab('train', '--resume', cut);
    expect(resumed.err).toBe('');
    expect(resumed.out).toMatch(/resuming at growth stage 2/);
    const a = JSON.parse(readFileSync(join(whole, 'run.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(cut, 'run.json'), 'utf8'));
    expect(b.status).toBe('done');
    expect(b.error).toBeUndefined();
    expect(b.search.history).toEqual(a.search.history);
    expect(b.losses).toEqual(a.losses);
    expect(b.stages.map((s: { imagesEnd: number }) => s.imagesEnd)).toEqual(a.stages.map((s: { imagesEnd: number }) => s.imagesEnd));
    expect(b.final).toEqual(a.final === undefined ? undefined : { ...a.final, seconds: b.final.seconds });
    expect(growlab('train', '--resume', whole).err).toMatch(/finished run: nothing to resume/);
  });
});
