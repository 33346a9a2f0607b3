import { Request, Response, Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { tenantParam } from '../tenants/tenant-param';
import type { Db } from '../../db/db';
import { ValidationError } from '../../http/errors';
import { field, FormBody } from '../../http/forms';
import { validationFailed } from '../../http/logger';
import { isPartial, respond } from '../../http/render';
import { assertCanEdit, TenantContext } from '../tenants/tenants.service';
import { tenantFrame } from '../tenant-view/tenant-view.service';
import type { Contact } from './contacts.repo';
import { blankForm, ContactForm, isContactType, parseContactForm } from './contacts.schemas';
import {
  contactsGrid,
  createContact,
  deleteContact,
  formFromContact,
  formOptions,
  getContact,
  updateContact,
} from './contacts.service';

/** Contacts tab and the Contacts panel of the Edit Tenant dialog (DOMAIN.md §2.12, §4.2, §5.4 A2, §5.9). */
export function contactsRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.param('tenantId', tenantParam(db));
  router.param('contactId', async (req, res, next, contactId: string) => {
    try {
      res.locals.contact = await getContact(db, res.locals.tenant, contactId);
      next();
    } catch (err) {
      req.log.warn({ event: 'authz.denied', route: req.route?.path ?? req.path }, 'contact not found in tenant');
      next(err);
    }
  });

  router.get('/tenants/:tenantId/contacts', async (req, res) => {
    await showGrid(db, req, res);
  });

  router.get('/tenants/:tenantId/contacts/new', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    assertCanEdit(tenant);
    const type = String(req.query.type ?? '');
    await showForm(db, req, res, blankForm(isContactType(type) ? type : 'Customer'), null, {});
  });

  router.get('/tenants/:tenantId/contacts/:contactId/edit', async (req, res) => {
    await showForm(db, req, res, formFromContact(res.locals.contact), res.locals.contact, {});
  });

  router.post('/tenants/:tenantId/contacts', async (req, res) => {
    const form = parseContactForm(req.body as FormBody);
    try {
      await createContact(db, res.locals.tenant, req.user!.id, form);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      validationFailed(req, err.fields);
      return showForm(db, req, res, form, null, err.fields, 422);
    }
    await saved(db, req, res, `Contact ${form.name} added.`);
  });

  router.post('/tenants/:tenantId/contacts/:contactId', async (req, res) => {
    const form = parseContactForm(req.body as FormBody);
    try {
      await updateContact(db, res.locals.tenant, req.user!.id, res.locals.contact, form);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      validationFailed(req, err.fields);
      return showForm(db, req, res, form, res.locals.contact, err.fields, 422);
    }
    await saved(db, req, res, `Contact ${form.name} saved.`);
  });

  router.post('/tenants/:tenantId/contacts/:contactId/delete', async (req, res) => {
    const tenant: TenantContext = res.locals.tenant;
    const contact: Contact = res.locals.contact;
    try {
      await deleteContact(db, tenant, contact, field(req.body as FormBody, 'confirm'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The first step of the two-step delete: 422 with the confirmation form.
      validationFailed(req, err.fields);
      return respond(req, res, {
        page: 'tenant-view/page',
        fragment: 'contacts/_delete',
        title: `Delete contact — ${tenant.tenantName}`,
        status: 422,
        locals: { tenant, contact, errors: err.fields, frame: await frameOf(db, req, res), panel: 'contacts/delete' },
      });
    }
    await saved(db, req, res, `Contact ${contact.name} deleted.`);
  });

  return router;
}

/** The grid; after a save its first line is the outcome (`savedMessage`), announced and focused. */
async function showGrid(db: Db, req: Request, res: Response, savedMessage: string | null = null): Promise<void> {
  const tenant: TenantContext = res.locals.tenant;
  await respond(req, res, {
    page: 'tenant-view/page',
    fragment: 'contacts/_grid',
    title: `Contacts — ${tenant.tenantName}`,
    locals: {
      tenant,
      grid: await contactsGrid(db, tenant),
      savedMessage,
      frame: await frameOf(db, req, res),
      panel: 'contacts/index',
    },
  });
}

/** A page of the Contacts tab sits in the detailed tenant view (DOMAIN.md §5.9); a fragment needs no frame. */
function frameOf(db: Db, req: Request, res: Response) {
  return isPartial(req) ? null : tenantFrame(db, res.locals.tenant, req.user!, 'contacts');
}

async function showForm(
  db: Db,
  req: Request,
  res: Response,
  form: ContactForm,
  contact: Contact | null,
  errors: Record<string, string>,
  status = 200,
): Promise<void> {
  const tenant: TenantContext = res.locals.tenant;
  await respond(req, res, {
    page: 'tenant-view/page',
    fragment: 'contacts/_form',
    title: `${contact ? 'Edit' : 'Add'} contact — ${tenant.tenantName}`,
    status,
    locals: {
      tenant,
      form,
      contact,
      errors,
      options: await formOptions(db, tenant),
      frame: await frameOf(db, req, res),
      panel: 'contacts/form',
    },
  });
}

/** Success: plain → 303 back to the Contacts tab; htmx → the refreshed grid in place of the whole grid. */
async function saved(db: Db, req: Request, res: Response, message: string): Promise<void> {
  const tenant: TenantContext = res.locals.tenant;
  if (!isPartial(req)) {
    req.session.flash = message;
    res.redirect(303, `/tenants/${tenant.tenantGuid}/contacts`);
    return;
  }
  res.set('HX-Trigger', JSON.stringify({ 'tenant:changed': { tenantId: tenant.tenantGuid } }));
  // The form posted into itself; the answer is the whole grid, so it goes to the grid.
  res.set('HX-Retarget', '#contacts-grid').set('HX-Reswap', 'outerHTML');
  await showGrid(db, req, res, message);
}
