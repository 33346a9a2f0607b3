import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { respond } from '../../http/render';
import { queryHref } from '../../http/view-helpers';
import { tenantParam } from '../tenants/tenant-param';
import { FILTER_CATEGORIES, parseHistoryQuery, RANGES, tenantHistory } from './notes.service';

/** GET /tenants/:tenantId/notes: the tenant's notes history with its filters. */
export function notesRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  router.get('/tenants/:tenantId/notes', async (req, res) => {
    const tenant = res.locals.tenant;
    const query = parseHistoryQuery(req.query);
    const history = await tenantHistory(db, tenant, query);
    await respond(req, res, {
      page: 'notes/history',
      fragment: 'notes/_history',
      title: `Notes — ${tenant.tenantName}`,
      locals: { tenant, query, ...history, ranges: RANGES, categories: FILTER_CATEGORIES, queryHref },
    });
  });

  return router;
}
