import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { accessScope } from '../../auth/scope';
import { respond } from '../../http/render';
import { entitlements, frpCsv, frpView, landingTab, parseListQuery } from './tenants.service';
import { listLinks } from './tenants.view';
import { rowsRenderer } from './list-rows';
import { tenantParam } from './tenant-param';

/** The FRP view (GET /tenants, /tenants.csv) and the Tenant Entitlements pane; the tenant page is src/features/tenant-view. */
export function tenantsRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.param('tenantId', tenantParam(db));

  router.get('/tenants', async (req, res) => {
    const fresh = /no-cache/i.test(req.get('Cache-Control') ?? '');
    const landing = landingTab(req.user!.kind);
    const view = await frpView(db, accessScope(req.user!), parseListQuery(req.query, landing), fresh);
    await respond(req, res, {
      page: 'tenants/index',
      fragment: 'tenants/_list',
      title: 'Assigned Tenant List',
      locals: { view, ...listLinks(landing), rowsHtml: rowsRenderer(res, req.user!, view.query.tab) },
    });
  });

  router.get('/tenants.csv', async (req, res) => {
    const query = parseListQuery(req.query, landingTab(req.user!.kind));
    const csv = await frpCsv(db, accessScope(req.user!), query);
    res.type('text/csv; charset=utf-8');
    res.attachment(`tenants-${query.tab}-${new Date().toISOString().slice(0, 10)}.csv`);
    res.send(csv);
  });

  router.get('/tenants/:tenantId/entitlements', async (req, res) => {
    const tenant = res.locals.tenant;
    await respond(req, res, {
      page: 'tenants/entitlements',
      fragment: 'tenants/_entitlements',
      title: `${tenant.tenantName} — entitlements`,
      locals: { tenant, services: await entitlements(db, tenant) },
    });
  });

  return router;
}
