import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { tenantParam } from '../tenants/tenant-param';
import { Conflict, ValidationError } from '../../http/errors';
import type { FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { suggest } from '../suggest/suggest.service';
import { CHIP_TEXT } from '../suggest/suggest.view';
import { forecastSection } from '../forecast/forecast.service';
import { parseAction, parseServiceForm, ServiceForm } from './services.schemas';
import {
  applyAction,
  assertCanSave,
  loadSection,
  SectionContext,
  storedForm,
  validateAndSave,
} from './services.service';
import { sectionLocals, ViewExtras } from './services.view';

/** The per-service tab of the Edit Tenant dialog (DOMAIN.md §5.4 B1, B3–B6). */
export function servicesRoutes({ db, config }: AppDeps): Router {
  const router = Router();

  router.param('tenantId', tenantParam(db));

  async function render(
    req: Request,
    res: Response,
    ctx: SectionContext,
    form: ServiceForm,
    extras: ViewExtras,
    status = 200,
  ) {
    // Forecast Dates: the forecast feature's partial (views/services/_forecast.ejs), autosaving on its own.
    const forecast = await forecastSection(db, ctx.tenant, ctx.ts.code, config, { viewerKind: req.user!.kind });
    await respond(req, res, {
      page: 'services/edit',
      fragment: 'services/_section',
      title: `${ctx.ts.name} — ${ctx.tenant.tenantName}`,
      status,
      locals: { ...sectionLocals(ctx, form, extras), forecast, chipText: CHIP_TEXT },
    });
  }

  router.get('/tenants/:tenantId/services/:code/edit', async (req, res) => {
    const ctx = await loadSection(db, config, res.locals.tenant, req.params.code, req.user!);
    await render(req, res, ctx, storedForm(ctx), {});
  });

  router.post('/tenants/:tenantId/services/:code', async (req, res) => {
    const ctx = await loadSection(db, config, res.locals.tenant, req.params.code, req.user!);
    assertCanSave(ctx);
    const body = req.body as FormBody;
    let form: ServiceForm;
    try {
      form = parseServiceForm(body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      validationFailed(req, err.fields);
      await render(req, res, ctx, storedForm(ctx), { errors: err.fields }, 422);
      return;
    }
    const action = parseAction(body);
    if (action.kind === 'suggest') {
      // Without JS the row's Suggest button posts the form here; the suggestion pre-fills that row only.
      const row = form.statuses[action.index];
      const chips: Record<number, string> = {};
      if (row) {
        const s = suggest(row.note, { service: ctx.ts.code, l1: row.l1 });
        Object.assign(row, {
          l1: s.l1,
          l2: s.l2,
          l3: s.l3,
          suggested_l1: s.l1,
          suggested_l2: s.l2,
          suggested_l3: s.l3,
          suggestion_confidence: s.confidence,
        });
        chips[action.index] = s.confidence;
      }
      await render(req, res, ctx, form, { chips });
      return;
    }
    if (action.kind !== 'save') {
      await render(req, res, ctx, applyAction(form, action), {});
      return;
    }
    try {
      const { errors, warnings } = await validateAndSave(db, config, ctx, form, req.user!);
      if (Object.keys(errors).length > 0) {
        validationFailed(req, errors);
        await render(req, res, ctx, form, { errors, warnings }, 422);
        return;
      }
      if (isPartial(req)) {
        const fresh = await loadSection(db, config, res.locals.tenant, ctx.ts.code, req.user!);
        res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: ctx.tenant.tenantGuid } }));
        await render(req, res, fresh, storedForm(fresh), { warnings, saved: true });
        return;
      }
      req.session.flash = [`Saved ${ctx.ts.name}.`, ...warnings].join(' ');
      res.redirect(303, `/tenants/${ctx.tenant.tenantGuid}/services/${encodeURIComponent(ctx.ts.code)}/edit`);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      const fresh = await loadSection(db, config, res.locals.tenant, ctx.ts.code, req.user!);
      await render(req, res, ctx, form, { conflict: { message: err.message, current: fresh } }, 409);
    }
  });

  return router;
}
