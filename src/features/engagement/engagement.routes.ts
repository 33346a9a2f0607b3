import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { Conflict, ValidationError } from '../../http/errors';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { entitlements, type TenantContext } from '../tenants/tenants.service';
import { tenantParam } from '../tenants/tenant-param';
import { postedStatusForm, saveOverallStatus, statusForm, type StatusFormView } from './engagement.service';

/**
 * The Edit Tenant dialog (GET /tenants/:tenantId/edit) and its Engagement Management part
 * (GET/POST /tenants/:tenantId/overall-status). DOMAIN.md §5.4 A1.
 */
export function engagementRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  router.get('/tenants/:tenantId/edit', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const services = (await entitlements(db, tenant)).filter((s) => s.effectiveTotal > 0); // V-20: eligible tabs only
    await respond(req, res, {
      page: 'tenants/edit',
      fragment: 'tenants/_edit_dialog',
      title: `Edit Tenant — ${tenant.tenantName}`,
      locals: {
        tenant,
        services,
        form: await statusForm(db, config, tenant),
        errors: {},
        conflict: null,
        saved: false,
      },
    });
  });

  router.get('/tenants/:tenantId/overall-status', async (req, res) => {
    const form = await statusForm(db, config, res.locals.tenant);
    await renderForm(req, res, form, {}, null, false, 200, contextOf(req.query.context));
  });

  router.post('/tenants/:tenantId/overall-status', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const values = postedStatusForm(req.body);
    // The same form on the Status tab (DOMAIN.md §5.7.1) says so: the note records it, and the plain path returns there.
    const context = contextOf(req.body.context);
    try {
      await saveOverallStatus(db, config, tenant, req.user!.id, req.body, context ?? 'edit_tenant_dialog');
    } catch (err) {
      if (err instanceof ValidationError) {
        validationFailed(req, err.fields);
        return renderForm(req, res, values, err.fields, null, false, 422, context);
      }
      if (err instanceof Conflict) return renderForm(req, res, values, {}, err, false, 409, context);
      throw err;
    }
    if (!isPartial(req)) {
      req.session.flash = 'Overall status saved.';
      return res.redirect(303, `/tenants/${tenant.tenantGuid}${context ? '/status' : '/edit'}`);
    }
    res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: tenant.tenantGuid } }));
    await renderForm(req, res, await statusForm(db, config, tenant), {}, null, true, 200, context);
  });

  return router;
}

/** Where the form is shown: the Status tab says `status_tab`; anything else is the Edit Tenant dialog. */
const contextOf = (value: unknown): 'status_tab' | undefined => (value === 'status_tab' ? 'status_tab' : undefined);

async function renderForm(
  req: Request,
  res: Response,
  form: StatusFormView,
  errors: Record<string, string>,
  conflict: Conflict | null,
  saved: boolean,
  status: number,
  context?: 'status_tab',
): Promise<void> {
  const tenant: TenantContext = res.locals.tenant;
  await respond(req, res, {
    page: 'engagement/page',
    fragment: 'engagement/_form',
    title: `Overall status — ${tenant.tenantName}`,
    status,
    locals: { tenant, form, errors, conflict, saved, context },
  });
}
