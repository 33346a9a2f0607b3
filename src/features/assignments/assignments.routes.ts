import { Request, Response, Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { accessScope } from '../../auth/scope';
import type { Db } from '../../db/db';
import { HttpError, NotFound } from '../../http/errors';
import { field, FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { primaries } from '../services/services.repo';
import { tenantParam } from '../tenants/tenant-param';
import { loadTenant, type TenantContext } from '../tenants/tenants.service';
import { createAssignment, deleteAssignment, updateAssignment } from './assignments-write.service';
import { catalogue } from './assignments.repo';
import { parsePaneForm } from './assignments.schemas';
import { actorOf, assigneeName, canManage, editPane, loadEditor, startAdd } from './assignments.service';
import { AssignmentConflict, emptyPanel, PaneRefusal, type PaneState, type PanelState } from './assignments.types';

/** Edit Assignments (DOMAIN.md §1.4, §4.7, §5.5; CONTRACT.md): the dialog or page, add, edit, delete. */
export function assignmentsRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.param('tenantId', tenantParam(db));

  router.get('/tenants/:tenantId/assignments', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const state = emptyPanel(req.query.tab === 'onboarding' ? 'onboarding' : 'partner');
    if (state.tab === 'partner' && canManage(tenant, actorOf(req.user!))) {
      const edit = idOf(req.query.edit);
      const del = idOf(req.query.delete);
      if (edit) state.pane = await editPane(db, tenant, actorOf(req.user!), edit);
      else if (del) state.deleting = { assignmentId: del, confirmTenantName: '' };
    }
    await show(db, req, res, state);
  });

  // The Primary Assignments section of the Edit Tenant dialog's service tab, reloaded on tenant:changed.
  router.get('/tenants/:tenantId/assignments/primaries/:code', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const service = (await catalogue(db, tenant.id)).find((s) => s.code === req.params.code);
    if (!service) throw new NotFound();
    await respond(req, res, {
      page: 'assignments/primaries',
      fragment: 'assignments/_primaries',
      title: `Primary Assignments — ${service.name}`,
      locals: { tenant, code: service.code, primaries: await primaries(db, tenant.id, service.code) },
    });
  });

  router.post('/tenants/:tenantId/assignments', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const form = parsePaneForm(req.body as FormBody);
    const actor = actorOf(req.user!);
    const starting = field(req.body as FormBody, '_action') === 'start';
    const pane: PaneState = {
      mode: 'add',
      type: form.type,
      assignmentId: null,
      assigneeName: form.username,
      form,
      canReplace: false,
      removal: null,
    };
    try {
      if (starting) {
        // The Add button under a block: check the username and open the pane (nothing is saved yet).
        const opened = await startAdd(db, tenant, actor, form.type, form.username);
        return await show(db, req, res, { ...emptyPanel(), ...opened });
      }
      await saved(db, req, res, await createAssignment(db, tenant, actor, form));
    } catch (err) {
      if (!starting) pane.assigneeName = await assigneeName(db, form.username);
      await refused(db, req, res, err, starting ? null : pane, { type: form.type, username: form.username });
    }
  });

  router.post('/tenants/:tenantId/assignments/:assignmentId', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const id = idOf(req.params.assignmentId);
    if (!id) throw new NotFound();
    const form = parsePaneForm(req.body as FormBody);
    try {
      await saved(db, req, res, await updateAssignment(db, tenant, actorOf(req.user!), id, form));
    } catch (err) {
      const stored =
        err instanceof HttpError && err.status >= 409 ? await editPane(db, tenant, actorOf(req.user!), id) : null;
      await refused(db, req, res, err, stored && { ...stored, form }, null);
    }
  });

  router.post('/tenants/:tenantId/assignments/:assignmentId/delete', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const id = idOf(req.params.assignmentId);
    if (!id) throw new NotFound();
    const form = parsePaneForm(req.body as FormBody);
    try {
      await saved(db, req, res, await deleteAssignment(db, tenant, actorOf(req.user!), id, form));
    } catch (err) {
      // A stale removal (409) shows the assignment as saved now, like a stale edit.
      if (!(err instanceof PaneRefusal)) return refused(db, req, res, err, null, null);
      validationFailed(req, err.fields);
      const state = { ...emptyPanel(), deleting: { assignmentId: id, confirmTenantName: form.confirmTenantName } };
      await show(db, req, res, { ...state, errors: err.fields }, 422);
    }
  });

  return router;
}

const idOf = (v: unknown) => (typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : 0);

async function show(db: Db, req: Request, res: Response, state: PanelState, status = 200): Promise<void> {
  const tenant: TenantContext = res.locals.tenant;
  await respond(req, res, {
    page: 'assignments/page',
    fragment: 'assignments/_dialog',
    title: `Edit Assignments — ${tenant.tenantName}`,
    status,
    locals: { tenant, view: await loadEditor(db, tenant, actorOf(req.user!)), state, gone: false },
  });
}

/**
 * A refused save keeps the user's values: 422 with a message per field (the pane, or the add form when
 * the username itself was refused); 409 with what is stored now next to what the user asked for.
 */
async function refused(
  db: Db,
  req: Request,
  res: Response,
  err: unknown,
  pane: PaneState | null,
  adding: PanelState['adding'],
): Promise<void> {
  if (err instanceof PaneRefusal) {
    validationFailed(req, err.fields);
    const open = pane && { ...pane, canReplace: err.canReplace, removal: err.removal };
    return show(db, req, res, { ...emptyPanel(), pane: open, adding: open ? null : adding, errors: err.fields }, 422);
  }
  if (!(err instanceof AssignmentConflict)) throw err;
  const stored = err.assignmentId ? await editPane(db, res.locals.tenant, actorOf(req.user!), err.assignmentId) : null;
  const yours = pane ? pane.form.scopes.map((scope) => ({ scope, primary: pane.form.primary.includes(scope) })) : [];
  const conflict = { message: err.message, stored: err.stored, yours };
  // An edit keeps the user's values and the version they started from, so applying again stays a 409 until reloaded.
  const open = pane?.mode === 'edit' ? pane : stored;
  await show(db, req, res, { ...emptyPanel(), pane: open, conflict }, 409);
}

/** Success: plain → 303 with a flash; htmx → the panel again with the outcome, and the page's lists refresh. */
async function saved(db: Db, req: Request, res: Response, message: string): Promise<void> {
  const tenant: TenantContext = res.locals.tenant;
  // The change may have taken the tenant out of the user's reach (V-62, V-66): then it is not shown again.
  const fresh = await loadTenant(db, accessScope(req.user!), tenant.tenantGuid).catch((err) => {
    if (err instanceof NotFound) return null;
    throw err;
  });
  if (!isPartial(req)) {
    req.session.flash = message;
    return res.redirect(303, fresh ? `/tenants/${tenant.tenantGuid}/assignments` : '/tenants');
  }
  res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: tenant.tenantGuid } }));
  if (!fresh) {
    const gone = `${message} You can no longer see ${tenant.tenantName}.`;
    return respond(req, res, {
      page: 'assignments/page',
      fragment: 'assignments/_dialog',
      title: 'Edit Assignments',
      locals: { tenant, view: null, state: { ...emptyPanel(), saved: gone }, gone: true },
    });
  }
  res.locals.tenant = fresh;
  await show(db, req, res, { ...emptyPanel(), saved: message });
}
