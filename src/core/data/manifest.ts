/**
 * The manifest of a built data set (data/<name>/manifest.json, written by `npm run data`): what the
 * binary files hold, where they came from, and under which licence. The files next to it are
 * pixels.bin (uint8, NHWC, image-major: count·size·size·channels bytes) and labels.bin (one uint8
 * class index per image). Pure TypeScript, so the browser can check the same files it fetches.
 */
import { z } from 'zod';
import type { ImageSet } from './imageSet';

/** Bumped whenever the build script's output changes, so old builds are rebuilt. */
export const MANIFEST_FORMAT = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256 digest');

export const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    count: z.number().int().positive(),
    size: z
      .number()
      .int()
      .min(4)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    channels: z.union([z.literal(1), z.literal(3)]),
    classes: z.array(z.string().min(1)).min(1).max(256),
    /** Images per class, in the order of `classes`. */
    classCounts: z.array(z.number().int().nonnegative()),
    licence: z.string().min(1),
    attribution: z.string().min(1),
    source: z.object({ package: z.string().min(1), version: z.string().min(1), files: z.string().min(1) }),
    notes: z.array(z.string()),
    sha256: z.object({ pixels: sha256, labels: sha256 }),
  })
  .superRefine((m, ctx) => {
    if (m.classCounts.length !== m.classes.length)
      ctx.addIssue({ code: 'custom', path: ['classCounts'], message: `has ${m.classCounts.length} entries for ${m.classes.length} classes` });
    const sum = m.classCounts.reduce((a, b) => a + b, 0);
    if (sum !== m.count) ctx.addIssue({ code: 'custom', path: ['classCounts'], message: `sums to ${sum}, not count ${m.count}` });
  });

export type Manifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Checks a parsed manifest; returns it typed, or throws ManifestError naming every problem. */
export function validateManifest(value: unknown): Manifest {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ManifestError(`not a valid data set manifest: ${issues.join('; ')}`);
  }
  return parsed.data;
}

export function pixelBytes(m: Pick<Manifest, 'count' | 'size' | 'channels'>): number {
  return m.count * m.size * m.size * m.channels;
}

/**
 * Joins a manifest and its two binary files into an ImageSet, checking that the files have the sizes
 * the manifest promises and that every label names a class. (Digests are checked by the caller,
 * which has a hash function at hand.)
 */
export function imageSetFromFiles(m: Manifest, pixels: Uint8Array, labels: Uint8Array): ImageSet {
  const want = pixelBytes(m);
  if (pixels.length !== want)
    throw new ManifestError(`pixels.bin of ${m.name} has ${pixels.length} bytes, the manifest promises ${want} (${m.count} images of ${m.size}×${m.size}×${m.channels})`);
  if (labels.length !== m.count) throw new ManifestError(`labels.bin of ${m.name} has ${labels.length} bytes, the manifest promises ${m.count} (one per image)`);
  for (let i = 0; i < labels.length; i++)
    if (labels[i]! >= m.classes.length) throw new ManifestError(`labels.bin of ${m.name}: image ${i} has class ${labels[i]}, but there are only ${m.classes.length} classes`);
  return { name: m.name, count: m.count, size: m.size, channels: m.channels, pixels, labels, classes: [...m.classes] };
}
