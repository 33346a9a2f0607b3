/**
 * Text → features for the Suggest classifier (docs/decisions.md, "Suggest model"): lower-cased words
 * with partner abbreviations expanded, negation marking, word bigrams and character 3–5-grams (which
 * absorb typos). Pure and deterministic.
 */

/** Partner shorthand, expanded so a note and a taxonomy example share words. */
const EXPAND: Record<string, string> = {
  exo: 'exchange',
  exch: 'exchange',
  spo: 'sharepoint',
  odb: 'onedrive',
  odfb: 'onedrive',
  mdm: 'intune devices',
  mam: 'intune apps',
  aadp: 'entra premium',
  aad: 'entra',
  mfa: 'mfa authentication',
  ca: 'conditional access',
  e3: 'licence',
  e5: 'licence',
  cust: 'customer',
  mbx: 'mailboxes',
  mbxs: 'mailboxes',
  msg: 'message',
  pls: 'please',
  w: 'with',
  wks: 'weeks',
  wk: 'week',
  mgmt: 'management',
  approx: 'about',
  govt: 'government',
  dept: 'department',
  infra: 'infrastructure',
  sec: 'security',
  lic: 'licence',
  lics: 'licences',
  licenses: 'licences',
  license: 'licence',
  licensing: 'licencing',
  dup: 'duplicate',
  dupe: 'duplicate',
  tbd: 'unknown',
};

/** Words that negate the next NEG_SPAN words ("not blocked anymore" → not_blocked). */
const NEGATORS = new Set(['not', 'no', 'never', 'without', 'nothing', 'none', 'cannot', 'nor']);
const NEG_SPAN = 2;
/** Words too common to carry a class; they still break negation spans no more than other words. */
const STOP = new Set(
  'a an the of to in on at for and or is are be was were it its this that by as there here hello hi thanks we our us you i my me he she his her so just'.split(
    ' ',
  ),
);

/** Normalised word tokens; numbers become `#num`, dates and times collapse too. */
export function words(text: string): string[] {
  const lower = text
    .toLowerCase()
    .replace(/n['’]t\b/g, ' not')
    .replace(/['’]s\b/g, '');
  const raw = lower.match(/[a-z0-9][a-z0-9/+-]*/g) ?? [];
  const out: string[] = [];
  for (const w of raw) {
    if (/^\d+([.,/:-]\d+)*(k|%)?$/.test(w)) out.push('#num');
    else out.push(...(EXPAND[w] ?? w).split(' '));
  }
  return out;
}

/** Number of words a note has (the ≥ 3 words rule, V-28). */
export const wordCount = (text: string): number => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;

/** The feature bag of a note (each feature once: binary multinomial NB). */
export function features(text: string): string[] {
  const ws = words(text);
  const feats = new Set<string>();
  let neg = 0;
  const marked: string[] = [];
  for (const w of ws) {
    if (NEGATORS.has(w)) {
      neg = NEG_SPAN;
      marked.push(w);
      continue;
    }
    if (STOP.has(w)) continue;
    marked.push(neg > 0 ? `!${w}` : w);
    if (neg > 0) neg--;
  }
  for (let i = 0; i < marked.length; i++) {
    const w = marked[i];
    feats.add(`w:${w}`);
    if (i + 1 < marked.length) feats.add(`b:${w}_${marked[i + 1]}`);
    const bare = w.replace(/^!/, '');
    if (bare.length >= 4 && bare !== '#num') {
      const padded = `<${bare}>`;
      for (let n = 3; n <= 5; n++)
        for (let j = 0; j + n <= padded.length; j++) feats.add(`c:${padded.slice(j, j + n)}`);
    }
  }
  return [...feats];
}
