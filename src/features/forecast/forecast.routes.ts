import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { tenantParam } from '../tenants/tenant-param';
import { ValidationError } from '../../http/errors';
import type { FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { TenantContext } from '../tenants/tenants.service';
import { forecastSection, saveForecast, submittedDates } from './forecast.service';

/** Forecast Dates autosave: POST /tenants/:tenantId/services/:code/forecast (DOMAIN.md §4.4, §5.4 B2). */
export function forecastRoutes({ db, config }: AppDeps): Router {
  const router = Router();

  router.param('tenantId', tenantParam(db));

  router.post('/tenants/:tenantId/services/:code/forecast', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const code = String(req.params.code);
    const body = req.body as FormBody;
    let section;
    let status = 200;
    try {
      section = await saveForecast(db, config, tenant, code, body, { userId: req.user!.id, kind: req.user!.kind });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      validationFailed(req, err.fields);
      // 422: the section again with the user's values and one message per field; nothing was saved.
      section = await forecastSection(db, tenant, code, config, {
        submitted: submittedDates(body),
        errors: err.fields,
        viewerKind: req.user!.kind,
      });
      status = 422;
    }
    if (status === 200 && !isPartial(req)) {
      req.session.flash = `Saved the forecast dates of ${section.service.name}.`;
      res.redirect(303, `/tenants/${tenant.tenantGuid}/services/${encodeURIComponent(section.service.code)}/edit`);
      return;
    }
    if (status === 200) res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: tenant.tenantGuid } }));
    // An autosave posts one date: the "Saved" mark goes next to that field.
    const posted = Object.keys(submittedDates(body));
    const savedField = status === 200 && posted.length === 1 ? posted[0] : null;
    await respond(req, res, {
      page: 'services/forecast',
      fragment: 'services/_forecast',
      title: `Forecast Dates — ${section.service.name} — ${tenant.tenantName}`,
      status,
      // The service section's own form shares this version: move it along with this save (and only this save).
      locals: { ...section, oobVersion: status === 200, savedField },
    });
  });

  return router;
}
