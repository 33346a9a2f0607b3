import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { accessScope } from '../../auth/scope';
import { respond } from '../../http/render';
import { NOTE_CATEGORIES } from '../../domain/enums';
import { fts5NotesSearch } from './notes-search.repo';
import { parseSearchQuery, searchNotes } from './notes-search.service';
import { FILTER_CATEGORIES, RANGES } from './notes.service';
import { latestHref, latestNotes, parseLatestQuery } from './latest-notes.service';

/**
 * The Notes Library (DOMAIN.md §5.12): Latest Notes (GET /notes) and search (GET /notes/search). htmx
 * gets the list or results region; a page request gets the whole page, so filters survive reload and Back.
 */
export function notesLibraryRoutes({ db }: AppDeps): Router {
  const router = Router();
  const index = fts5NotesSearch(db);

  router.get('/notes', async (req, res) => {
    const query = parseLatestQuery(req.query);
    const latest = await latestNotes(db, accessScope(req.user!), query);
    await respond(req, res, {
      page: 'notes/latest',
      fragment: 'notes/_latest',
      title: 'Latest Notes',
      locals: { query, ...latest, self: latestHref(query), ranges: RANGES, categories: FILTER_CATEGORIES },
    });
  });

  router.get('/notes/search', async (req, res) => {
    const view = await searchNotes(index, accessScope(req.user!), parseSearchQuery(req.query));
    await respond(req, res, {
      page: 'notes/search',
      fragment: 'notes/_search-results',
      title: view.query.q ? `Search notes: ${view.query.q}` : 'Search notes',
      locals: { view, categories: NOTE_CATEGORIES },
    });
  });

  return router;
}
