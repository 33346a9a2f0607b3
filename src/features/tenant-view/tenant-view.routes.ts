import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { respond } from '../../http/render';
import { queryHref } from '../../http/view-helpers';
import { parseHistoryQuery } from '../notes/notes.service';
import { tenantParam } from '../tenants/tenant-param';
import type { TenantContext } from '../tenants/tenants.service';
import { eligibilityView, overallPanel, servicesOverview, tenantFrame } from './tenant-view.service';

/**
 * The detailed tenant view (DOMAIN.md §5.6): the Status tab with its Overall Status sub-tab, the
 * Services and Eligibility tabs. The Service Status and Enterprise Status sub-tabs, the Contacts tab and
 * the notes history live with their features and render the same page (views/tenant-view/page.ejs).
 */
export function tenantViewRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  async function status(req: Request, res: Response) {
    const tenant: TenantContext = res.locals.tenant;
    const query = parseHistoryQuery(req.query);
    await respond(req, res, {
      // No fragment: the tab links and the header's self-refresh select their part of the page.
      page: 'tenant-view/page',
      title: `${tenant.tenantName} — Status`,
      locals: {
        tenant,
        frame: await tenantFrame(db, tenant, req.user!, 'status', 'overall'),
        panel: 'tenant-view/_overall',
        ...(await overallPanel(db, config, tenant, query)),
        queryHref,
      },
    });
  }
  router.get('/tenants/:tenantId', status);
  router.get('/tenants/:tenantId/status', status);

  router.get('/tenants/:tenantId/services', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const raw = req.query.expand;
    const expand = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    await respond(req, res, {
      page: 'tenant-view/page',
      fragment: 'tenant-view/_services',
      title: `${tenant.tenantName} — Services`,
      locals: {
        tenant,
        frame: await tenantFrame(db, tenant, req.user!, 'services'),
        panel: 'tenant-view/_services',
        overview: await servicesOverview(db, tenant, expand),
      },
    });
  });

  router.get('/tenants/:tenantId/eligibility', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    await respond(req, res, {
      page: 'tenant-view/page',
      fragment: 'tenant-view/_eligibility',
      title: `${tenant.tenantName} — Eligibility`,
      locals: {
        tenant,
        frame: await tenantFrame(db, tenant, req.user!, 'eligibility'),
        panel: 'tenant-view/_eligibility',
        eligibility: await eligibilityView(db, tenant),
      },
    });
  });

  return router;
}
