import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { isPartial, respond } from '../../http/render';
import { queryHref } from '../../http/view-helpers';
import { tenantParam } from '../tenants/tenant-param';
import { overallPanel, tenantFrame } from '../tenant-view/tenant-view.service';
import { FILTER_CATEGORIES, parseHistoryQuery, RANGES, tenantHistory } from './notes.service';

/**
 * GET /tenants/:tenantId/notes: the tenant's notes history with its filters — the component the Status
 * tab's Overall Status sub-tab shows (DOMAIN.md §5.7.1). htmx gets the component; a page request gets
 * the Status tab with the history filtered as asked, so a filtered history survives reload and Back.
 */
export function notesRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  router.get('/tenants/:tenantId/notes', async (req, res) => {
    const tenant = res.locals.tenant;
    const query = parseHistoryQuery(req.query);
    const title = `Notes — ${tenant.tenantName}`;
    if (isPartial(req)) {
      const history = await tenantHistory(db, tenant, query);
      const locals = { tenant, query, ...history, ranges: RANGES, categories: FILTER_CATEGORIES, queryHref };
      return respond(req, res, { page: 'notes/_history', fragment: 'notes/_history', title, locals });
    }
    await respond(req, res, {
      page: 'tenant-view/page',
      title,
      locals: {
        tenant,
        frame: await tenantFrame(db, tenant, req.user!, 'status', 'overall'),
        panel: 'tenant-view/_overall',
        ...(await overallPanel(db, config, tenant, query)),
        queryHref,
      },
    });
  });

  return router;
}
