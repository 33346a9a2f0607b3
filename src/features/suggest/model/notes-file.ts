import fs from 'node:fs';
import path from 'node:path';
import { TAXONOMY } from '../../../domain/taxonomy';
import type { Example } from './nb';

/** The folder of the written notes (src/features/suggest/training). */
export const DATA_DIR = path.resolve(__dirname, '..', 'training');

/** The label of a taxonomy leaf: `L1|L2` (`Duplicate/Invalid|` has no L2). */
export const leaf = (l1: string, l2: string): string => `${l1}|${l2}`;
export const splitLeaf = (label: string): { l1: string; l2: string } => {
  const i = label.indexOf('|');
  return { l1: label.slice(0, i), l2: label.slice(i + 1) };
};

/**
 * Parses a notes file: `## L1 | L2` headers (`## Duplicate/Invalid |` for no L2), then one note per
 * line; blank lines and `#` comments are skipped. Throws on a header that is not a taxonomy leaf.
 */
export function parseNotes(text: string, source = 'notes'): Example[] {
  const out: Example[] = [];
  let label = '';
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line.startsWith('## ')) {
      const [l1, l2 = ''] = line
        .slice(3)
        .split('|')
        .map((s) => s.trim());
      if (!LEAVES.has(leaf(l1, l2))) throw new Error(`${source}:${i + 1}: not a taxonomy leaf: ${line}`);
      label = leaf(l1, l2);
    } else if (line && !line.startsWith('#')) {
      if (!label) throw new Error(`${source}:${i + 1}: note before any header`);
      out.push({ text: line, label });
    }
  }
  return out;
}

/** Reads a notes file from the data folder. */
export const readNotes = (file: string): Example[] =>
  parseNotes(fs.readFileSync(path.join(DATA_DIR, file), 'utf8'), file);

/** Every taxonomy leaf (L1 with each of its L2s; Duplicate/Invalid alone). */
export const LEAVES = new Set(
  TAXONOMY.flatMap((t) => (t.reasons.length ? t.reasons.map((r) => leaf(t.l1, r.l2)) : [leaf(t.l1, '')])),
);

/** The examples shipped in taxonomy.json (seeds/taxonomy.json), as labelled notes. */
export function taxonomyExamples(): Example[] {
  return TAXONOMY.flatMap((t) => {
    const own = ((t as { examples?: string[] }).examples ?? []).map((text) => ({ text, label: leaf(t.l1, '') }));
    const reasons = t.reasons.flatMap((r) =>
      ((r as { examples?: string[] }).examples ?? []).map((text) => ({ text, label: leaf(t.l1, r.l2) })),
    );
    return [...own, ...reasons];
  });
}

/** The shipped training set: the taxonomy examples plus the training notes (never the evaluation notes). */
export const shippedTrainingSet = (): Example[] => [...taxonomyExamples(), ...readNotes('training-notes.txt')];
