import { parseGetQuerySchema, parseListQuerySchema, parseOrThrow, parseVersions } from '@classifyd/shared';
import { Router } from 'express';
import { principalOf } from '../auth.js';
import { uploadBodyOf } from '../multipart-upload.js';
import type { ParseService } from '../services/parse-service.js';

export function parseRoutes(service: ParseService): Router {
  const router = Router();
  router.post('/api/v2/parse', async (req, res) => {
    const job = await service.create(principalOf(req), req.body, res.locals.trace);
    res.locals.jobId = job.id;
    res.status(200).json(job);
  });
  router.post('/api/v2/parse/upload', async (req, res) => {
    const job = await service.upload(principalOf(req), uploadBodyOf(req), res.locals.trace);
    res.locals.jobId = job.id;
    res.status(200).json(job);
  });
  router.get('/api/v2/parse', async (req, res) => {
    res.json(await service.list(principalOf(req), parseOrThrow(parseListQuerySchema, req.query, 'query')));
  });
  // Before the job route, which would read "versions" as a job id.
  router.get('/api/v2/parse/versions', (_req, res) => {
    res.json(parseVersions());
  });
  router.get('/api/v2/parse/:jobId', async (req, res) => {
    const query = parseOrThrow(parseGetQuerySchema, req.query, 'query');
    res.json(await service.get(principalOf(req), req.params.jobId, query.expand));
  });
  router.post('/api/v2/parse/:jobId/cancel', async (req, res) => {
    res.json(await service.cancel(principalOf(req), req.params.jobId));
  });
  router.delete('/api/v2/parse/:jobId', async (req, res) => {
    res.json(await service.delete(principalOf(req), req.params.jobId));
  });
  return router;
}
