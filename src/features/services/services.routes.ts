import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app-deps';
import { tenantParam } from '../tenants/tenant-param';
import type { TenantContext } from '../tenants/tenants.service';
import { Conflict, ValidationError } from '../../http/errors';
import type { FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { CHIP_TEXT } from '../suggest/suggest.view';
import { forecastSection } from '../forecast/forecast.service';
import { notesEditorLink } from '../notes/notes-links';
import { serviceNotes } from '../notes/notes.service';
import { tenantFrame } from '../tenant-view/tenant-view.service';
import { FormAction, GridState, parseAction, parseGridState, parseServiceForm, ServiceForm } from './services.schemas';
import { applyAction, assertCanSave, loadSection, SectionContext, storedForm } from './services.service';
import { openGrid, saveGrid } from './services-grid.service';
import { ensureCurrentModel } from '../suggest/corrections.service';
import { sectionLocals, ViewExtras } from './services.view';

/** The actions that save; every other one only re-renders the form (services-grid.service.ts openGrid). */
const commits = (a: FormAction) =>
  a.kind === 'save' || a.kind === 'update' || a.kind === 'add' || (a.kind === 'remove' && a.receiver !== '');

/** The grid state a commit works on: the row the button names (a Remove without a receiver only asks). */
function commitState(action: FormAction, state: GridState): GridState {
  if (action.kind === 'update') return { ...state, mode: { kind: 'edit', index: action.index } };
  if (action.kind === 'add') return { ...state, mode: { kind: 'add' } };
  if (action.kind === 'remove')
    return { ...state, mode: { kind: 'remove', index: action.index }, receiver: action.receiver };
  return state;
}

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
    // As a page the section sits on the Services tab with the service's note history (DOMAIN.md §5.8).
    const page = isPartial(req) ? {} : await servicePage(req, res, ctx);
    await respond(req, res, {
      page: 'tenant-view/page',
      fragment: 'services/_section',
      title: `${ctx.ts.name} — ${ctx.tenant.tenantName}`,
      status,
      locals: { ...sectionLocals(ctx, form, extras), forecast, chipText: CHIP_TEXT, ...page },
    });
  }

  async function servicePage(req: Request, res: Response, ctx: SectionContext) {
    const tenant = res.locals.tenant;
    const code = ctx.ts.code;
    return {
      frame: await tenantFrame(db, tenant, req.user!, 'services'),
      panel: 'services/edit',
      mode: ctx.tenant.access === 'edit' ? 'edit' : 'view',
      // The header and summary speak of the user's real access, also on the read-only View.
      headTenant: tenant,
      serviceNotes: await serviceNotes(db, tenant, code),
      addNote: notesEditorLink(tenant.tenantGuid, 'Technical Enablement', code),
    };
  }

  router.get('/tenants/:tenantId/services/:code/edit', async (req, res) => {
    const ctx = await loadSection(db, config, res.locals.tenant, req.params.code, req.user!);
    await render(req, res, ctx, storedForm(ctx), {});
  });

  // View: the same page, read-only for everyone (DOMAIN.md §5.8; the only mode for guests and internal users).
  router.get('/tenants/:tenantId/services/:code', async (req, res) => {
    const tenant: TenantContext = { ...res.locals.tenant, access: 'read' };
    const ctx = await loadSection(db, config, tenant, req.params.code, req.user!);
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
    const state = parseGridState(body);
    if (!commits(action)) {
      await ensureCurrentModel(db);
      const view = openGrid(
        ctx,
        action.kind === 'add_line' || action.kind === 'remove_line' ? applyAction(form, action) : form,
        action,
        state,
      );
      await render(req, res, ctx, view.form, { chips: view.chips, grid: { state: view.state } });
      return;
    }
    // Update, Add and Remove (with its receiver) commit that row alone; Save commits the posted form.
    const commit = commitState(action, state);
    const oneRow = action.kind !== 'save';
    try {
      const out = await saveGrid(db, config, ctx, form, commit, req.user!, oneRow);
      if (!out.saved) {
        validationFailed(req, out.errors);
        const grid = { state: commit, blocked: out.blocked };
        await render(req, res, ctx, form, { errors: out.errors, warnings: out.warnings, grid }, 422);
        return;
      }
      if (isPartial(req)) {
        const fresh = await loadSection(db, config, res.locals.tenant, ctx.ts.code, req.user!);
        res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: ctx.tenant.tenantGuid } }));
        const grid = { changed: oneRow ? out.changed : null };
        await render(req, res, fresh, storedForm(fresh), { warnings: out.warnings, saved: true, grid });
        return;
      }
      req.session.flash = [
        oneRow ? `Saved the status row of ${ctx.ts.name}.` : `Saved ${ctx.ts.name}.`,
        ...out.warnings,
      ].join(' ');
      res.redirect(303, `/tenants/${ctx.tenant.tenantGuid}/services/${encodeURIComponent(ctx.ts.code)}/edit`);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      const fresh = await loadSection(db, config, res.locals.tenant, ctx.ts.code, req.user!);
      const grid = { state: commit };
      await render(req, res, ctx, form, { conflict: { message: err.message, current: fresh }, grid }, 409);
    }
  });

  return router;
}
