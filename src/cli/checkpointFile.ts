/**
 * Search checkpoints on disk: JSON in which every Float32Array is stored as base64, written
 * atomically (temp file, then rename) so an interrupted write never replaces a good checkpoint.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SearchCheckpoint } from '../core/search/search';

const TAG = '__f32';

/** How much of run.json the checkpoint covers: a resumed run drops losses and stages past these. */
export interface RunMarks {
  losses: number;
  stages: number;
}

export async function writeCheckpoint(path: string, c: SearchCheckpoint, marks: RunMarks): Promise<void> {
  const text = JSON.stringify({ ...c, marks }, (_k, v: unknown) =>
    v instanceof Float32Array ? { [TAG]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') } : v,
  );
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

export async function readCheckpoint(path: string): Promise<SearchCheckpoint & { marks: RunMarks }> {
  const text = await readFile(path, 'utf8');
  const c = JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && TAG in v) {
      const b = Buffer.from((v as Record<string, string>)[TAG]!, 'base64');
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    return v;
  }) as SearchCheckpoint & { marks: RunMarks };
  if (c.version !== 1 || !Array.isArray(c.history) || !c.marks) throw new Error(`${path} is not a GrowLab search checkpoint`);
  return c;
}
