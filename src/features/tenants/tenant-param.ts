import type { NextFunction, Request, Response } from 'express';
import { accessScope } from '../../auth/scope';
import type { Db } from '../../db/db';
import { loadTenant } from './tenants.service';

/**
 * `router.param('tenantId', tenantParam(db))`: resolves the Tenant ID inside the signed-in user's scope
 * into res.locals.tenant (a TenantContext). Missing, malformed and other orgs' tenants are all the same
 * 404, logged as `authz.denied`.
 */
export function tenantParam(db: Db) {
  return async (req: Request, res: Response, next: NextFunction, tenantId: string): Promise<void> => {
    try {
      res.locals.tenant = await loadTenant(db, accessScope(req.user!), tenantId);
      next();
    } catch (err) {
      req.log.warn({ event: 'authz.denied', route: req.route?.path ?? req.path }, 'tenant not found or out of scope');
      next(err);
    }
  };
}
