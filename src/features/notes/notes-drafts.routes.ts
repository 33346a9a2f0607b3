import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { ValidationError } from '../../http/errors';
import { validationFailed } from '../../http/logger';
import { respond } from '../../http/render';
import { editorView, formValues } from './notes-editor.service';
import { DRAFT_LIMIT, removeDraft, saveDraft, userDrafts } from './notes-drafts.service';

/**
 * Draft Notes (DOMAIN.md §5.12.2): private to their author, at most 10 (V-75). Save Draft posts the
 * editor here; the editor's script autosaves here too and asks for JSON. Deleting asks first on its own
 * page state (?delete=<id>), so no GET changes anything and no script is needed.
 */
export function notesDraftsRoutes({ db, config }: AppDeps): Router {
  const router = Router();

  router.get('/notes/drafts', async (req, res) => {
    const drafts = await userDrafts(db, req.user!);
    const confirm = drafts.find((d) => String(d.id) === String(req.query.delete ?? '')) ?? null;
    await respond(req, res, {
      page: 'notes/drafts',
      title: 'Draft Notes',
      locals: { drafts, confirm, limit: DRAFT_LIMIT },
    });
  });

  router.post('/notes/drafts', async (req: Request, res: Response) => {
    const values = formValues(req.body);
    const json = req.accepts(['html', 'json']) === 'json';
    try {
      const draftId = await saveDraft(db, req.user!, values);
      if (json) return res.json({ draftId });
      req.session.flash = 'Draft saved. Restore it to go on writing.';
      return res.redirect(303, '/notes/drafts');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      validationFailed(req, err.fields);
      if (json) return res.status(422).json({ errors: err.fields });
      const editor = await editorView(db, config, req.user!, values);
      await respond(req, res, {
        page: 'notes/new',
        title: 'Create Notes',
        status: 422,
        locals: { editor, errors: err.fields, richText: true },
      });
    }
  });

  router.post('/notes/drafts/:draftId/delete', async (req, res) => {
    await removeDraft(db, req.user!, req.params.draftId);
    req.session.flash = 'Draft deleted.';
    res.redirect(303, '/notes/drafts');
  });

  return router;
}
