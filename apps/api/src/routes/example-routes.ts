import { exampleListQuerySchema, parseOrThrow } from '@classifyd/shared';
import { Router } from 'express';
import { principalOf } from '../auth.js';
import type { ExampleService } from '../services/example-service.js';

export function exampleRoutes(service: ExampleService): Router {
  const router = Router();
  const base = '/api/v1/beta/configurations/:configId/examples';
  router.post(base, async (req, res) => {
    res.status(201).json(await service.create(principalOf(req), req.params.configId, req.body));
  });
  router.get(base, async (req, res) => {
    const query = parseOrThrow(exampleListQuerySchema, req.query, 'query');
    res.json(await service.list(principalOf(req), req.params.configId, query));
  });
  router.get(`${base}/:exampleId`, async (req, res) => {
    res.json(await service.get(principalOf(req), req.params.configId, req.params.exampleId));
  });
  router.delete(`${base}/:exampleId`, async (req, res) => {
    await service.delete(principalOf(req), req.params.configId, req.params.exampleId);
    res.status(204).end();
  });
  return router;
}
