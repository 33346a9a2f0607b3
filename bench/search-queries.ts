/**
 * The notes-search paths the bench rotates through: many different queries over the synthetic notes
 * (seeds/synthetic.ts NOTE_TEXT), so that no cache can answer them. Each is a one-word or a three-word
 * query, with or without a facet filter, sort and page, as a partner clicks through the facet pane.
 */
const ONE_WORD = ['migration', 'customer', 'endpoints', 'training', 'security', 'pilot', 'licences', 'champions'];
const THREE_WORDS = [
  'customer project lead',
  'network team endpoints',
  'deployment wave planned',
  'adoption training material',
  'security review scheduled',
  'pilot group feedback',
  'migration batch errors',
  'champions programme sites',
];
const EXTRAS = [
  '',
  '&type=Engagement%20Management',
  '&sort=created',
  '&escalated=no',
  '&page=2',
  '&author=me',
  '&type=Technical%20Enablement&sort=tenant',
  '&next=quarter',
];

/** `/notes/search?q=…` paths: every query with every extra (64 different paths per list). */
export function searchPaths(words: 'one' | 'three'): string[] {
  const queries = words === 'one' ? ONE_WORD : THREE_WORDS;
  return queries.flatMap((q) => EXTRAS.map((x) => `/notes/search?q=${encodeURIComponent(q)}${x}`));
}
