import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { accessScope } from '../../auth/scope';
import { respond } from '../../http/render';
import { NOTE_CATEGORIES } from '../../domain/enums';
import { notesSearchIndex } from './notes-search.index';
import { parseSearchQuery, searchNotes } from './notes-search.service';
import { FILTER_CATEGORIES, RANGES } from './notes.service';
import { latestHref, latestNotes, parseLatestQuery } from './latest-notes.service';
import { createNote, editorView, formValues } from './notes-editor.service';
import { termOf } from './notes-typeahead.service';
import { draftValues } from './notes-drafts.service';
import { notesDraftsRoutes } from './notes-drafts.routes';
import { notesTypeaheadRoutes } from './notes-typeahead.routes';
import { ValidationError } from '../../http/errors';
import { validationFailed } from '../../http/logger';

/**
 * The Notes Library (DOMAIN.md §5.12): Latest Notes (GET /notes) and search (GET /notes/search). htmx
 * gets the list or results region; a page request gets the whole page, so filters survive reload and Back.
 */
export function notesLibraryRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const index = notesSearchIndex(db);
  router.use(notesDraftsRoutes({ db, config }));
  router.use(notesTypeaheadRoutes({ db, config }));

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

  // The Notes Editor (§5.12.1). Saved notes are never changed: there is no edit or delete route (V-76).
  router.get('/notes/new', async (req, res) => {
    const values = req.query.draft ? await draftValues(db, req.user!, String(req.query.draft)) : formValues(req.query);
    const editor = await editorView(db, config, req.user!, values, termOf(req.query.term));
    await respond(req, res, {
      page: 'notes/new',
      title: 'Create Notes',
      locals: { editor, errors: {}, richText: true },
    });
  });

  router.post('/notes', async (req, res) => {
    const values = formValues(req.body);
    try {
      const saved = await createNote(db, config, req.user!, values);
      req.session.flash = saved.duplicate ? 'This note was already saved.' : 'Note saved.';
      return res.redirect(303, `/tenants/${saved.tenantGuid}/notes?range=all#note-${saved.noteId}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      validationFailed(req, err.fields);
      const editor = await editorView(db, config, req.user!, values);
      await respond(req, res, {
        page: 'notes/new',
        title: 'Create Notes',
        status: 422,
        locals: { editor, errors: err.fields, richText: true },
      });
    }
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
