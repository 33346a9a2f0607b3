import taxonomyJson from '../../seeds/taxonomy.json';
import type { L1 } from './enums';

export interface L1Rules {
  l2_available: boolean;
  l2_required: boolean;
  target_date_allowed: boolean;
  owner_allowed: boolean;
}
export interface TaxonomyL1 {
  l1: L1;
  description: string;
  rules: L1Rules;
  reasons: { l2: string; aliases?: string[]; description: string; engineering_reasons: string[] }[];
}

/** The L1 → L2 → L3 taxonomy (seeds/taxonomy.json, a copy of shared/data/taxonomy.json). */
export const TAXONOMY = taxonomyJson as unknown as TaxonomyL1[];

/**
 * Resolves an L2 name or one of its aliases to the canonical L2 under the given L1;
 * undefined when it is not a child of that L1 (V-22).
 */
export function canonicalL2(l1: string, l2: string): string | undefined {
  const node = TAXONOMY.find((t) => t.l1 === l1);
  const wanted = l2.trim().toLowerCase();
  return node?.reasons.find(
    (r) => r.l2.toLowerCase() === wanted || (r.aliases ?? []).some((a) => a.toLowerCase() === wanted),
  )?.l2;
}

export const NEW_SUBSCRIPTION = { l1: 'Status Unknown', l2: 'New Subscription or Workload' } as const;
