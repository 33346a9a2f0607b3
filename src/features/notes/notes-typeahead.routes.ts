import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { isPartial, respond } from '../../http/render';
import { queryHref } from '../../http/view-helpers';
import { searchChoices, tenantPicker, termOf } from './notes-typeahead.service';

/**
 * The Notes Library's type-aheads (public/js/combobox.js fills a listbox with their fragments):
 * the Notes Editor's tenant picker (DOMAIN.md §5.12.1) and "Search Services and Tenants" (§5.12.4).
 * Both answer only from the signed-in user's scope.
 */
export function notesTypeaheadRoutes({ db }: AppDeps): Router {
  const router = Router();

  // htmx gets the options; a page request goes to the editor's picker, which lists the same matches as links.
  router.get('/notes/tenants', async (req, res) => {
    const term = termOf(req.query.term);
    const category = typeof req.query.category === 'string' ? req.query.category : '';
    if (!isPartial(req)) return res.redirect(303, queryHref('/notes/new', { term, category }));
    await respond(req, res, {
      page: 'notes/_tenant-options',
      fragment: 'notes/_tenant-options',
      title: 'Tenants',
      locals: { picker: await tenantPicker(db, req.user!, term, category) },
    });
  });

  // htmx gets the options; without JavaScript the facet pane's Find button shows them as a page of links.
  router.get('/notes/search/options', async (req, res) => {
    const choices = await searchChoices(db, req.user!, req.query);
    await respond(req, res, {
      page: 'notes/find',
      fragment: 'notes/_find-options',
      title: choices.term ? `Services and tenants: ${choices.term}` : 'Search Services and Tenants',
      locals: { choices },
    });
  });

  return router;
}
