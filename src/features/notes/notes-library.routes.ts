import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { accessScope } from '../../auth/scope';
import { respond } from '../../http/render';
import { NOTE_CATEGORIES } from '../../domain/enums';
import { fts5NotesSearch } from './notes-search.repo';
import { parseSearchQuery, searchNotes } from './notes-search.service';

/**
 * The Notes Library (DOMAIN.md §5.12): GET /notes/search. htmx gets the results region (facets,
 * chips, hits, pages); a page request gets the whole page, so a search survives reload and Back.
 */
export function notesLibraryRoutes({ db }: AppDeps): Router {
  const router = Router();
  const index = fts5NotesSearch(db);

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
