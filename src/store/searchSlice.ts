import type { StateCreator } from 'zustand';
import type { CandidateInfo } from '../worker/protocol';
import type { AppState } from './types';

export interface SearchNode extends CandidateInfo {
  score?: number;
  metric?: string;
  /** Chosen to continue training at its growth stage. */
  chosen: boolean;
  /** How far its current training has come (0–1), while it trains. */
  progress: number;
}

export interface SearchState {
  /** Every model of the search by id (the initial model is #0). */
  nodes: Record<number, SearchNode>;
  /** Ids in creation order. */
  order: number[];
  /** The model training now. */
  activeId: number | null;
  stage: number;
  phase: 'train' | 'grow' | null;
}

export interface SearchSlice {
  search: SearchState;
}

export const EMPTY_SEARCH: SearchState = { nodes: {}, order: [], activeId: null, stage: 0, phase: null };

export const createSearchSlice: StateCreator<AppState, [], [], SearchSlice> = () => ({
  search: EMPTY_SEARCH,
});

/** Children of each node (null: the roots), in creation order: the search as a tree. */
export function searchTree(s: SearchState): Map<number | null, SearchNode[]> {
  const tree = new Map<number | null, SearchNode[]>();
  for (const id of s.order) {
    const node = s.nodes[id]!;
    const siblings = tree.get(node.parentId) ?? [];
    siblings.push(node);
    tree.set(node.parentId, siblings);
  }
  return tree;
}
