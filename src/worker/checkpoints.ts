/**
 * Checkpoints of lab runs (LabCheckpoint in protocol.ts): what a rollback changes in them.
 */
import type { SearchCheckpoint } from '../core/search/search';
import type { TrainerSnapshot } from '../core/trainer';

/** The snapshot with another Adam learning rate (its moments are kept). */
export function withLearningRate(s: TrainerSnapshot, lr: number): TrainerSnapshot {
  return s.config.adam.lr === lr ? s : { ...s, config: { ...s.config, adam: { ...s.config.adam, lr } } };
}

/** Every model of a search checkpoint with another learning rate. */
export function searchWithLearningRate(c: SearchCheckpoint, lr: number): SearchCheckpoint {
  return { ...c, trainers: Object.fromEntries(Object.entries(c.trainers).map(([id, s]) => [id, withLearningRate(s, lr)])) };
}
