import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { field, FormBody } from '../../http/forms';
import { respond } from '../../http/render';
import { l3ByL2 } from './suggest.repo';
import { suggest } from './suggest.service';
import { ensureCurrentModel } from './corrections.service';
import { CHIP_TEXT, selectState, suggestedState } from './suggest.view';

const ROW = /^\d{1,3}$/;

/** The row index a request is about (`row`, default 0), and that row's posted value for a key. */
function rowOf(body: FormBody): string {
  const row = field(body, 'row');
  return ROW.test(row) ? row : '0';
}
const rowField = (body: FormBody, row: string, key: string) => field(body, `statuses[${row}][${key}]`);

/** POST /suggest (DOMAIN.md §6) and GET /suggest/options (the dependent L2/L3 selects). */
export function suggestRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.post('/suggest', async (req, res) => {
    const body = req.body as FormBody;
    const row = rowOf(body);
    // The grid's Suggest button posts the whole form (htmx includes it) with `row`; the API posts `text`.
    const text = (field(body, 'text') || rowField(body, row, 'note')).slice(0, 2000);
    const service = field(body, 'service').slice(0, 20);
    await ensureCurrentModel(db);
    const result = suggest(text, { service, l1: rowField(body, row, 'l1') });
    if (req.accepts(['html', 'json']) === 'json') {
      res.json(result);
      return;
    }
    // The row's current choice stays when the note is too thin (§6, never overwritten with nothing).
    const current = { l1: rowField(body, row, 'l1'), l2: rowField(body, row, 'l2'), l3: rowField(body, row, 'l3') };
    const sel = suggestedState(row, current, result, await l3ByL2(db));
    await respond(req, res, {
      page: 'suggest/show',
      fragment: 'suggest/_selects',
      title: 'Suggested status',
      locals: { sel, errors: {}, disabled: false, chipText: CHIP_TEXT, text, result },
    });
  });

  router.get('/suggest/options', async (req, res) => {
    const q = req.query as FormBody;
    const row = rowOf(q);
    const pick = (key: string) => rowField(q, row, key) || field(q, key);
    const sel = selectState(
      {
        row,
        l1: pick('l1'),
        l2: pick('l2'),
        l3: pick('l3'),
        suggested_l1: pick('suggested_l1'),
        suggested_l2: pick('suggested_l2'),
        suggested_l3: pick('suggested_l3'),
        suggestion_confidence: pick('suggestion_confidence'),
      },
      await l3ByL2(db),
    );
    await respond(req, res, {
      page: 'suggest/show',
      fragment: 'suggest/_selects',
      title: 'Status options',
      locals: { sel, errors: {}, disabled: false, chipText: CHIP_TEXT, text: '', result: null },
    });
  });

  return router;
}
