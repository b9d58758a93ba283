import { classifyListQuerySchema, parseOrThrow } from '@classifyd/shared';
import { Router } from 'express';
import { principalOf } from '../auth.js';
import type { ClassifyService } from '../services/classify-service.js';
import type { CorrectionService } from '../services/correction-service.js';

export function classifyRoutes(service: ClassifyService, corrections: CorrectionService): Router {
  const router = Router();
  router.post('/api/v2/classify', async (req, res) => {
    const job = await service.create(principalOf(req), req.body, res.locals.trace);
    res.locals.jobId = job.id;
    res.status(200).json(job);
  });
  router.get('/api/v2/classify', async (req, res) => {
    const query = parseOrThrow(classifyListQuerySchema, req.query, 'query');
    res.json(await service.list(principalOf(req), query));
  });
  router.get('/api/v2/classify/:jobId', async (req, res) => {
    res.json(await service.get(principalOf(req), req.params.jobId));
  });
  router.post('/api/v2/classify/:jobId/cancel', async (req, res) => {
    res.json(await service.cancel(principalOf(req), req.params.jobId));
  });
  router.post('/api/v2/classify/:jobId/correction', async (req, res) => {
    res.json(await corrections.correct(principalOf(req), req.params.jobId, req.body));
  });
  router.delete('/api/v2/classify/:jobId', async (req, res) => {
    res.json(await service.delete(principalOf(req), req.params.jobId));
  });
  return router;
}
