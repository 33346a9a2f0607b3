import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { Conflict, ValidationError } from '../../http/errors';
import { field, type FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { tenantFrame } from '../tenant-view/tenant-view.service';
import { tenantParam } from '../tenants/tenant-param';
import type { TenantContext } from '../tenants/tenants.service';
import { phasesPanel, savePhase, type RowOverlay } from './phases.service';

/** The Status tab's Service Status sub-tab and the phase save (DOMAIN.md §5.7.2, V-85). */
export function phasesRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  async function render(req: Request, res: Response, overlay: RowOverlay | null = null, status = 200) {
    const tenant: TenantContext = res.locals.tenant;
    await respond(req, res, {
      page: 'tenant-view/page',
      fragment: 'phases/_panel',
      title: `${tenant.tenantName} — Service Status`,
      status,
      locals: {
        tenant,
        frame: isPartial(req) ? null : await tenantFrame(db, tenant, req.user!, 'status', 'phases'),
        panel: 'phases/_panel',
        ...(await phasesPanel(db, config, tenant, req.user!, overlay)),
      },
    });
  }

  router.get('/tenants/:tenantId/service-status', (req, res) => render(req, res));

  router.post('/tenants/:tenantId/services/:code/phase', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const code = String(req.params.code);
    const value = field(req.body as FormBody, 'phase');
    let saved;
    try {
      saved = await savePhase(db, config, tenant, code, req.body as FormBody, req.user!);
    } catch (err) {
      if (err instanceof ValidationError) {
        validationFailed(req, err.fields);
        return render(req, res, { code, value, error: err.fields.phase ?? err.message }, 422);
      }
      if (!(err instanceof Conflict)) throw err;
      const current = err.details.current as { phase: string | null; updatedBy: string | null; updatedAt: string };
      const conflict = { message: err.message, phase: current.phase, by: current.updatedBy, at: current.updatedAt };
      return render(req, res, { code, value, conflict }, 409);
    }
    if (!isPartial(req)) {
      req.session.flash = saved.changed
        ? `Phase of ${saved.name} saved: ${saved.phase}.`
        : `${saved.name} is already in ${saved.phase}.`;
      return res.redirect(303, `/tenants/${tenant.tenantGuid}/service-status`);
    }
    res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: tenant.tenantGuid } }));
    await render(req, res, { code, value: saved.phase, saved: true });
  });

  return router;
}
