import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { ValidationError } from '../../http/errors';
import type { FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { tenantFrame } from '../tenant-view/tenant-view.service';
import { tenantParam } from '../tenants/tenant-param';
import type { TenantContext } from '../tenants/tenants.service';
import {
  addEnterpriseStatus,
  EnterpriseConflict,
  enterprisePanel,
  postedForm,
  type EnterpriseForm,
} from './enterprise.service';

interface Outcome {
  form?: Partial<EnterpriseForm>;
  errors?: Record<string, string>;
  conflict?: EnterpriseConflict;
  saved?: boolean;
}

/** The Status tab's Enterprise Status sub-tab: the form and its history log (DOMAIN.md §5.7.3, V-80). */
export function enterpriseRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  async function render(req: Request, res: Response, outcome: Outcome = {}, status = 200) {
    const tenant: TenantContext = res.locals.tenant;
    const panel = await enterprisePanel(db, config, tenant, outcome.form);
    await respond(req, res, {
      page: 'tenant-view/page',
      fragment: 'enterprise/_panel',
      title: `${tenant.tenantName} — Enterprise Status`,
      status,
      locals: {
        tenant,
        frame: isPartial(req) ? null : await tenantFrame(db, tenant, req.user!, 'status', 'enterprise'),
        panel: 'enterprise/_panel',
        ...panel,
        errors: outcome.errors ?? {},
        conflict: outcome.conflict ? { message: outcome.conflict.message, newer: outcome.conflict.newer } : null,
        saved: outcome.saved ?? false,
      },
    });
  }

  router.get('/tenants/:tenantId/enterprise-status', (req, res) => render(req, res));

  router.post('/tenants/:tenantId/enterprise-status', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const form = postedForm(req.body as FormBody);
    try {
      await addEnterpriseStatus(db, config, tenant, req.user!, form);
    } catch (err) {
      if (err instanceof ValidationError) {
        validationFailed(req, err.fields);
        return render(req, res, { form, errors: err.fields }, 422);
      }
      if (err instanceof EnterpriseConflict) {
        req.log.warn({ event: 'request.rejected', status: 409, route: req.path }, err.message);
        return render(req, res, { form, conflict: err }, 409);
      }
      throw err;
    }
    if (!isPartial(req)) {
      req.session.flash = 'Enterprise status entry added.';
      return res.redirect(303, `/tenants/${tenant.tenantGuid}/enterprise-status`);
    }
    res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: tenant.tenantGuid } }));
    await render(req, res, { saved: true });
  });

  return router;
}
