import { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { readiness } from './health.service';

/**
 * Probes for supervisors and load balancers (docs/deploy.md), before the session and body parsers so
 * they cost nothing on other routes and store nothing.
 * - `/healthz` (liveness, CONTRACT.md): the database answers.
 * - `/readyz` (readiness): the database answers, no migration is pending and the process is not stopping.
 */
export function healthRoutes(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await db.raw('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  router.get('/readyz', async (_req, res) => {
    const reason = await readiness(db, deps.stopping);
    res.set('Cache-Control', 'no-store');
    if (reason) res.status(503).json({ status: 'not ready', reason });
    else res.json({ status: 'ready' });
  });
  return router;
}
