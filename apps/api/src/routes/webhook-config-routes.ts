import { Router } from 'express';
import { principalOf } from '../auth.js';
import type { WebhookConfigService } from '../services/webhook-config-service.js';

export function webhookConfigRoutes(service: WebhookConfigService): Router {
  const router = Router();
  router.post('/api/v1/beta/webhook-configs', async (req, res) => {
    res.json(await service.create(principalOf(req), req.body));
  });
  router.get('/api/v1/beta/webhook-configs', async (req, res) => {
    res.json(await service.list(principalOf(req)));
  });
  router.get('/api/v1/beta/webhook-configs/:configId', async (req, res) => {
    res.json(await service.get(principalOf(req), req.params.configId));
  });
  router.put('/api/v1/beta/webhook-configs/:configId', async (req, res) => {
    res.json(await service.update(principalOf(req), req.params.configId, req.body));
  });
  router.delete('/api/v1/beta/webhook-configs/:configId', async (req, res) => {
    await service.delete(principalOf(req), req.params.configId);
    res.status(204).end();
  });
  return router;
}
