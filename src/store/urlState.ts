/**
 * The run settings in the URL hash, TensorFlow Playground style: `#mode=dggan&data=mnist&res=16&seed=3`.
 * A teacher shares the link; opening it starts from the same settings. Reading a hash never throws:
 * unknown keys and bad values are skipped, each with a message, and the rest is used.
 */
import { configProblem } from '../worker/labConfig';
import type { RunConfig } from '../worker/protocol';

type Key = keyof RunConfig;

/** Hash name → config field, and whether it is a number. */
const FIELDS: Record<string, { key: Key; number: boolean }> = {
  mode: { key: 'mode', number: false },
  data: { key: 'dataset', number: false },
  res: { key: 'resolution', number: true },
  actions: { key: 'actions', number: false },
  kimg: { key: 'kimgPerStage', number: true },
  batch: { key: 'batch', number: true },
  lr: { key: 'lr', number: true },
  loss: { key: 'loss', number: false },
  seed: { key: 'seed', number: true },
  width: { key: 'width', number: true },
  latent: { key: 'latent', number: true },
  size: { key: 'datasetSize', number: true },
  budget: { key: 'budgetKimg', number: true },
  cand: { key: 'candidateKimg', number: true },
  topk: { key: 'topK', number: true },
  p: { key: 'keepP', number: true },
  eval: { key: 'evalSamples', number: true },
};

const NAME_OF = Object.fromEntries(Object.entries(FIELDS).map(([name, f]) => [f.key, name])) as Record<Key, string>;

/** Longest hash read; anything longer is not a link GrowLab made. */
const MAX_HASH = 2000;

export function configToHash(c: RunConfig, base: RunConfig): string {
  const parts: string[] = [];
  for (const [name, f] of Object.entries(FIELDS)) {
    const v = c[f.key];
    if (v !== base[f.key] || name === 'mode' || name === 'data' || name === 'seed') parts.push(`${name}=${encodeURIComponent(String(v))}`);
  }
  return `#${parts.join('&')}`;
}

/**
 * Settings from a hash on top of `base`. `problems` names every part that was skipped; when the
 * combination is not valid as a whole, `config` is `base` and the last problem says why.
 */
export function configFromHash(hash: string, base: RunConfig): { config: RunConfig; problems: string[]; found: boolean } {
  const text = hash.replace(/^#/, '');
  if (text.trim() === '') return { config: base, problems: [], found: false };
  if (text.length > MAX_HASH) return { config: base, problems: [`the link's settings are ${text.length} characters long, more than a GrowLab link holds; they were ignored`], found: true };
  const problems: string[] = [];
  const patch: Partial<Record<Key, string | number>> = {};
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName);
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      problems.push(`'${rawName.slice(0, 40)}' is not properly encoded; skipped`);
      continue;
    }
    const field = FIELDS[name];
    if (!field) {
      problems.push(`unknown setting '${name.slice(0, 40)}'; skipped`);
      continue;
    }
    if (field.number) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        problems.push(`${name}=${value.slice(0, 40)} is not a number; skipped`);
        continue;
      }
      patch[field.key] = n;
    } else patch[field.key] = value;
  }
  // Check each field on its own against the base, so one bad value does not discard the rest.
  const config = { ...base };
  for (const [key, value] of Object.entries(patch) as [Key, string | number][]) {
    const trial = { ...config, [key]: value } as RunConfig;
    const why = configProblem(trial);
    if (why && configProblem(config) === null) problems.push(`${NAME_OF[key]}=${String(value).slice(0, 40)}: ${why}; skipped`);
    else Object.assign(config, { [key]: value });
  }
  return { config, problems, found: true };
}
