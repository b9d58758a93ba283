import { configurationListQuerySchema, parseOrThrow } from '@classifyd/shared';
import { Router } from 'express';
import { principalOf } from '../auth.js';
import type { ConfigurationService } from '../services/configuration-service.js';

export function configurationRoutes(service: ConfigurationService): Router {
  const router = Router();
  router.post('/api/v1/beta/configurations', async (req, res) => {
    res.status(201).json(await service.create(principalOf(req), req.body));
  });
  router.get('/api/v1/beta/configurations', async (req, res) => {
    res.json(
      await service.list(principalOf(req), parseOrThrow(configurationListQuerySchema, req.query, 'query')),
    );
  });
  router.get('/api/v1/beta/configurations/:configId', async (req, res) => {
    res.json(await service.get(principalOf(req), req.params.configId));
  });
  router.put('/api/v1/beta/configurations/:configId', async (req, res) => {
    res.json(await service.update(principalOf(req), req.params.configId, req.body));
  });
  router.delete('/api/v1/beta/configurations/:configId', async (req, res) => {
    await service.delete(principalOf(req), req.params.configId);
    res.status(204).end();
  });
  return router;
}
