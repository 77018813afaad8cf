/**
 * Genome: the JSON description of a generator G and a discriminator D that can grow.
 *
 * G: z → pixel norm → dense → 4×4 → [block 4: convs] → [block 8: up ×2, convs] … → toRGB.
 * D: fromRGB → [block R: convs, avg-pool ×2] … → [block 4: convs, minibatch stddev before the
 *    last conv] → dense → score. D's blocks are stored by ascending resolution, like G's.
 *
 * Every layer has a stable id; its weights are keyed by that id, so a child genome inherits every
 * weight of its parent by id and only new layers start from random values. Widths are feature
 * channels; D's last 4×4 conv also reads the one minibatch-stddev channel (added by the model).
 */
import { z } from 'zod';
import type { GrowthAction } from './actions';

export interface ConvLayer {
  id: string;
  kernel: number;
  in: number;
  out: number;
}

export interface Block {
  res: number;
  layers: ConvLayer[];
}

/** A 1×1 conv between images and features; `width` is its feature side. */
export interface RGBLayer {
  id: string;
  width: number;
}

export interface GeneratorGenome {
  latent: number;
  blocks: Block[];
  toRGB: RGBLayer;
}

export interface DiscriminatorGenome {
  blocks: Block[];
  fromRGB: RGBLayer;
  /** Width of the hidden dense layer after the 4×4 block. */
  dense: number;
}

/** A growth whose new layers are still fading in; the old image-side layers are kept until α = 1. */
export interface FadeIn {
  action: GrowthAction;
  newIds: string[];
  oldToRGB?: RGBLayer;
  oldFromRGB?: RGBLayer;
}

export interface Genome {
  version: 1;
  channels: number;
  g: GeneratorGenome;
  d: DiscriminatorGenome;
  fade: FadeIn | null;
  nextId: number;
}

export const GENOME_VERSION = 1;

const convSchema = z.object({
  id: z.string().min(1),
  kernel: z.number().int().positive(),
  in: z.number().int().positive(),
  out: z.number().int().positive(),
});
const blockSchema = z.object({ res: z.number().int().min(4), layers: z.array(convSchema) });
const rgbSchema = z.object({ id: z.string().min(1), width: z.number().int().positive() });
const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('g'), kernel: z.number().int(), width: z.number().int() }),
  z.object({ kind: z.literal('d'), kernel: z.number().int(), width: z.number().int() }),
  z.object({ kind: z.literal('res'), gWidth: z.number().int(), dWidth: z.number().int() }),
]);

export const genomeSchema = z.object({
  version: z.literal(GENOME_VERSION),
  channels: z.union([z.literal(1), z.literal(3)]),
  g: z.object({ latent: z.number().int().positive(), blocks: z.array(blockSchema).min(1), toRGB: rgbSchema }),
  d: z.object({ blocks: z.array(blockSchema).min(1), fromRGB: rgbSchema, dense: z.number().int().positive() }),
  fade: z
    .object({
      action: actionSchema,
      newIds: z.array(z.string()).min(1),
      oldToRGB: rgbSchema.optional(),
      oldFromRGB: rgbSchema.optional(),
    })
    .nullable(),
  nextId: z.number().int().nonnegative(),
});

export class GenomeError extends Error {
  override name = 'GenomeError';
}

/** The resolution of G's output and D's input. */
export function resolutionOf(genome: Genome): number {
  return genome.g.blocks[genome.g.blocks.length - 1]!.res;
}

export function lastLayer(block: Block): ConvLayer {
  const l = block.layers[block.layers.length - 1];
  if (!l) throw new GenomeError(`block ${block.res}×${block.res} has no layers`);
  return l;
}

function firstLayer(block: Block): ConvLayer {
  const l = block.layers[0];
  if (!l) throw new GenomeError(`block ${block.res}×${block.res} has no layers`);
  return l;
}

/** Checks a parsed object is a well-formed genome; returns it typed, or throws GenomeError naming every problem. */
export function validateGenome(value: unknown): Genome {
  const parsed = genomeSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new GenomeError(`not a valid GrowLab genome: ${issues.join('; ')}`);
  }
  const genome = parsed.data as Genome;
  const problems: string[] = [];
  const ids = new Set<string>();
  const checkNet = (name: 'G' | 'D', blocks: Block[]) => {
    blocks.forEach((block, i) => {
      const want = 4 * 2 ** i;
      if (block.res !== want) problems.push(`${name} block ${i} has resolution ${block.res}, expected ${want}`);
      if (block.layers.length === 0) problems.push(`${name} block ${block.res}×${block.res} has no layers`);
      for (const layer of block.layers) {
        if (ids.has(layer.id)) problems.push(`layer id '${layer.id}' is used twice`);
        ids.add(layer.id);
        if (layer.kernel % 2 === 0) problems.push(`${name} layer ${layer.id}: kernel ${layer.kernel} must be odd`);
        if (layer.kernel > block.res)
          problems.push(`${name} layer ${layer.id}: kernel ${layer.kernel} is larger than its ${block.res}×${block.res} feature map`);
      }
    });
  };
  checkNet('G', genome.g.blocks);
  checkNet('D', genome.d.blocks);
  if (problems.length === 0) {
    // Widths must chain: each layer reads what the previous one wrote.
    let width = firstLayer(genome.g.blocks[0]!).in;
    for (const block of genome.g.blocks)
      for (const layer of block.layers) {
        if (layer.in !== width) problems.push(`G layer ${layer.id} reads ${layer.in} channels but receives ${width}`);
        width = layer.out;
      }
    if (genome.g.toRGB.width !== width)
      problems.push(`G toRGB reads ${genome.g.toRGB.width} channels but the top layer writes ${width}`);
    width = genome.d.fromRGB.width;
    for (const block of [...genome.d.blocks].reverse())
      for (const layer of block.layers) {
        if (layer.in !== width) problems.push(`D layer ${layer.id} reads ${layer.in} channels but receives ${width}`);
        width = layer.out;
      }
    if (resolutionOf(genome) !== genome.d.blocks[genome.d.blocks.length - 1]!.res)
      problems.push(`G outputs ${resolutionOf(genome)} px but D reads ${genome.d.blocks.at(-1)!.res} px`);
  }
  if (problems.length > 0) throw new GenomeError(`invalid genome: ${problems.join('; ')}`);
  return genome;
}

export function parseGenome(json: string): Genome {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new GenomeError(`genome is not JSON: ${(e as Error).message}`);
  }
  return validateGenome(value);
}

export interface BaseGenomeOptions {
  channels: number;
  latent?: number;
  /** Width of both 4×4 blocks. */
  width?: number;
}

/** The smallest GAN: G and D each with one 3×3 conv at 4×4. */
export function createBaseGenome({ channels, latent = 64, width = 64 }: BaseGenomeOptions): Genome {
  return validateGenome({
    version: GENOME_VERSION,
    channels,
    g: { latent, blocks: [{ res: 4, layers: [{ id: 'g1', kernel: 3, in: width, out: width }] }], toRGB: { id: 'g2', width } },
    d: { blocks: [{ res: 4, layers: [{ id: 'd3', kernel: 3, in: width, out: width }] }], fromRGB: { id: 'd4', width }, dense: width },
    fade: null,
    nextId: 5,
  });
}

export function cloneGenome(genome: Genome): Genome {
  return structuredClone(genome);
}
