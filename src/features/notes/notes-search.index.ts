import { kindOf, type Db } from '../../db/db';
import { notesSearchOn } from './notes-search.repo';
import { fts5Backend } from './notes-search.fts5';
import { pgBackend } from './notes-search.pg';
import type { NotesSearchIndex } from './notes-search.types';

/** The notes search index for this database, chosen once: SQLite FTS5 or PostgreSQL full-text search. */
export function notesSearchIndex(db: Db): NotesSearchIndex {
  return notesSearchOn(db, kindOf(db) === 'postgres' ? pgBackend(db) : fts5Backend(db));
}
