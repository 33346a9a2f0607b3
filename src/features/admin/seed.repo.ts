import type { Knex } from 'knex';

/** Writes the seeds need beyond the import path. */

/** Adds note templates (unique by category + name) that are not there yet; returns how many were added. */
export async function insertMissingNoteTemplates(
  db: Knex,
  templates: { category: string; name: string; bodyHtml: string }[],
  at: string,
): Promise<number> {
  let added = 0;
  for (const t of templates) {
    if (await db('note_templates').where({ category: t.category, name: t.name }).first('id')) continue;
    await db('note_templates').insert({
      category: t.category,
      name: t.name,
      body_html: t.bodyHtml,
      created_at: at,
      updated_at: at,
    });
    added++;
  }
  return added;
}
