import { L1_VALUES, type L1 } from '../../domain/enums';
import { TAXONOMY } from '../../domain/taxonomy';

/** DOMAIN.md §6 confidence bands. */
export type Confidence = 'high' | 'marginal' | 'poor';

export interface Suggestion {
  l1: L1 | '';
  l2: string;
  l3: string;
  confidence: Confidence;
  alternatives: { l1: L1; l2: string; score: number }[];
}

export interface SuggestOptions {
  /** Service code, a feature a learned model may use. */
  service?: string;
  /** The row's current L1, used to break ties. */
  l1?: string;
}

/** The seam a learned model (TF-IDF, naive Bayes) replaces later: same input, same output shape. */
export interface Suggester {
  suggest(text: string, opts?: SuggestOptions): Suggestion;
}

// §6 L1 cues. Each match adds CUE_WEIGHT to its L1.
const L1_CUES: Record<L1, RegExp[]> = {
  'Duplicate/Invalid': [/\bduplicate\b/, /\btest tenant\b/, /\binvalid tenant\b/],
  'No Intent': [/\bwill not\b/, /\bwon'?t\b/, /\bno plans?\b/, /\bno intent/, /\bno interest\b/, /\bprefer(s|red)?\b/],
  Blocked: [/\bwaiting\b/, /\bblocked\b/, /\buntil\b/, /\bcannot\b/, /\bcan'?t\b/, /\bpending\b/, /\bbefore\b/],
  'In Progress': [/\bdeploying\b/, /\bconfigur/, /\bmigrat/, /\badoption\b/, /\brolling out\b/, /\bpilot\b/],
  'Status Unknown': [/\bno response\b/, /\bunreachable\b/, /\bno reply\b/, /\bnew licen[cs]es?\b/, /\bunresponsive\b/],
};

// Reason keywords per L2 (stems), on top of the word overlap with the taxonomy examples.
const L2_KEYWORDS: Record<string, RegExp[]> = {
  'Customer Unresponsive': [/\bno response\b/, /unrespons/, /unreachable/, /no reply/, /not answer/, /voicemail/],
  'New Subscription or Workload': [/new licen/, /purchas/, /\bbought\b/, /new subscription/, /extra seats/],
  'Technical Onboarding and Deployment': [/deploy/, /configur/, /onboard/, /pilot/, /roll ?out/, /enrol/],
  Migration: [/migrat/, /mailbox/, /\bmoving\b/, /cutover/, /\bstaged\b/],
  'Solution or User Adoption': [/adoption/, /champion/, /usage/, /campaign/],
  'Customer IT Infrastructure and Remediation': [/upgrade/, /infrastructure/, /bandwidth/, /network/, /remediat/],
  'IT Change Management and Resourcing': [/\bstaff/, /resourc/, /resign/, /capacity/, /helpdesk/],
  'Legal/Regulatory': [/\blaw\b/, /legal/, /regulat/, /residency/, /jurisdiction/, /works council/],
  'Security/Privacy (Non-Product/Feature)': [/security/, /privacy/, /\bc?iso\b/, /\bcso\b/],
  'Adoption Readiness': [/training plan/, /readiness/, /end users need/],
  'Product Feature/Capability': [/feature/, /capabilit/, /not supported/, /multi-geo/],
  'Service Reliability': [/outage/, /reliab/, /\bbugs?\b/],
  'App Compatibility': [/add-in/, /macro/, /compatib/, /line-of-business/, /\bapp(lication)?s?\b/],
  'Partner Engagement': [/\bpartner\b/],
  'Billing, Licensing and Subscription': [/licens/, /billing/, /agreement/, /transferr?/],
  'Using Competitive Solution': [/slack/, /google/, /zoom/, /dropbox/, /webex/, /competit/],
  'Using Microsoft On-Premises Solution': [/on-?prem/, /on premises/, /own servers/],
  'Executive Sponsorship': [/sponsor/, /leadership/, /no value/, /\bpriority\b/],
};

const STOP = new Set(
  'the a an and or of to in on for is are be with their they them this that we our has have not no from at by as it its still yet will was were into than then there'.split(
    ' ',
  ),
);

const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? [];
const stems = (text: string): Set<string> =>
  new Set(
    words(text)
      .filter((w) => w.length > 3 && !STOP.has(w))
      .map((w) => w.slice(0, 6)),
  );

const CUE_WEIGHT = 3;
const KEYWORD_WEIGHT = 2;
/** Reason words taken from the taxonomy examples and description, per L2. */
const L2_VOCAB = TAXONOMY.flatMap((t) =>
  t.reasons.map((r) => {
    const ex = (r as { examples?: string[] }).examples ?? [];
    return { l1: t.l1, l2: r.l2, vocab: stems([...ex, r.description].join(' ')) };
  }),
);

/**
 * Keyword suggester (DOMAIN.md §6): L1 cue rules plus L2 keywords and word overlap with the taxonomy
 * examples. `poor` when the note is shorter than three words or nothing matched; `marginal` when
 * Blocked/No Intent has no reason keyword (§6) or the runner-up is close; `high` otherwise.
 */
export const keywordSuggester: Suggester = {
  suggest(text, opts = {}) {
    const lower = text.toLowerCase();
    const textStems = stems(text);
    const l1Score = new Map<L1, number>(L1_VALUES.map((l1) => [l1, 0]));
    for (const l1 of L1_VALUES)
      for (const re of L1_CUES[l1]) if (re.test(lower)) l1Score.set(l1, l1Score.get(l1)! + CUE_WEIGHT);
    if (opts.l1 && l1Score.has(opts.l1 as L1)) l1Score.set(opts.l1 as L1, l1Score.get(opts.l1 as L1)! + 0.5);

    const l2Scores = L2_VOCAB.map(({ l1, l2, vocab }) => {
      const keyword = (L2_KEYWORDS[l2] ?? []).filter((re) => re.test(lower)).length * KEYWORD_WEIGHT;
      let overlap = 0;
      for (const s of textStems) if (vocab.has(s)) overlap += 0.5;
      return { l1, l2, keyword, score: keyword + Math.min(overlap, 2) };
    });
    // An L1 also earns the score of its best reason, so "mailboxes moving" alone points at In Progress.
    const combined = L1_VALUES.map((l1) => {
      const best = l2Scores.filter((s) => s.l1 === l1).sort((a, b) => b.score - a.score)[0];
      return {
        l1,
        l2: best && best.score >= 1 ? best.l2 : '',
        keyword: best?.keyword ?? 0,
        score: l1Score.get(l1)! + (best?.score ?? 0) / 2,
      };
    }).sort((a, b) => b.score - a.score);

    const top = combined[0];
    const alternatives = l2Scores
      .filter((s) => s.score > 0 && !(s.l1 === top.l1 && s.l2 === top.l2))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map((s) => ({ l1: s.l1, l2: s.l2, score: Math.round(s.score * 10) / 10 }));
    if (top.score < 1) return { l1: '', l2: '', l3: '', confidence: 'poor', alternatives };

    const l2 = top.l1 === 'Duplicate/Invalid' ? '' : top.l2;
    let confidence: Confidence = 'high';
    if (words(text).length < 3) confidence = 'poor';
    else if ((top.l1 === 'Blocked' || top.l1 === 'No Intent') && top.keyword === 0) confidence = 'marginal';
    else if (combined[1].score > 0 && top.score - combined[1].score < 1) confidence = 'marginal';
    return { l1: top.l1, l2, l3: '', confidence, alternatives };
  },
};

/** The suggester in use; swap the implementation here. */
export function suggest(text: string, opts: SuggestOptions = {}): Suggestion {
  return keywordSuggester.suggest(text.slice(0, 2000), opts);
}

/** A row's chosen L1 / L2 / L3, as the form holds them ('' for none). */
export interface RowStatus {
  l1: string;
  l2: string;
  l3: string;
}

/**
 * What a row shows after Suggest (DOMAIN.md §6, issue point 6): a suggestion never overwrites a
 * choice with nothing. A poor note (or no L1) keeps the row's L1 / L2 / L3 (`kept`); a suggestion for
 * the same L1 without a reason keeps the row's L2 (and its L3 under the same L2).
 */
export function applySuggestion(current: RowStatus, s: Suggestion): RowStatus & { kept: boolean } {
  if (s.confidence === 'poor' || !s.l1) return { ...current, kept: true };
  const l2 = s.l2 || (s.l1 === current.l1 ? current.l2 : '');
  const l3 = s.l3 || (s.l1 === current.l1 && l2 === current.l2 ? current.l3 : '');
  return { l1: s.l1, l2, l3, kept: false };
}
