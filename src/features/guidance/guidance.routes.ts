import { Router } from 'express';
import { respond } from '../../http/render';
import { TAXONOMY } from '../../domain/taxonomy';

/** GET /guidance/status-taxonomy: the L1/L2/L3 guidance page rendered from the taxonomy (DOMAIN.md §5.13). */
export function guidanceRoutes(): Router {
  const router = Router();
  router.get('/guidance/status-taxonomy', async (req, res) => {
    await respond(req, res, {
      page: 'guidance/status-taxonomy',
      title: 'L1/L2/L3 Guidance',
      locals: { taxonomy: TAXONOMY },
    });
  });
  return router;
}
