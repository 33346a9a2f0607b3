/**
 * Who is entering the values a rule checks — the one switch between the entry points
 * (docs/decisions.md › One rule, one place):
 * - a user saving a form now (`imported: false`): dates they type must not be in the past and a
 *   section save must be complete (V-24, V-29, V-31…V-33, V-40, V-50);
 * - the import loading records kept in another system (`imported: true`): a past date is a fact, not
 *   a typing mistake, and a record may arrive before anyone has decided its scenario or migration.
 * Every other rule, including "not in the future" (V-02), applies to both alike.
 */
export interface Entry {
  /** The server's date in APP_TZ. */
  today: string;
  imported: boolean;
}

/** "Today" for the rules about dates a user types, or null for imported history. */
export const typingDay = (entry: Entry): string | null => (entry.imported ? null : entry.today);
