import { pipeline } from 'node:stream/promises';
import { AppError, fileContentQuerySchema, fileListQuerySchema, parseOrThrow } from '@classifyd/shared';
import { type Request, Router } from 'express';
import { principalOf } from '../auth.js';
import { uploadBodyOf } from '../multipart-upload.js';
import type { FileService } from '../services/file-service.js';

const HOST_HEADER = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/**
 * Where download links point: PUBLIC_BASE_URL, else the address the request came to. A
 * Host or X-Forwarded-Proto that is not a plain host or http(s) would make a link to
 * anywhere, so it is refused rather than echoed.
 */
function baseUrl(req: Request, configured: string | undefined): string {
  if (configured) return configured.replace(/\/$/, '');
  const host = req.get('host') ?? '';
  if (!HOST_HEADER.test(host) || (req.protocol !== 'http' && req.protocol !== 'https')) {
    throw new AppError(
      'bad_request',
      'The request names no usable host for a download link; set PUBLIC_BASE_URL',
    );
  }
  return `${req.protocol}://${host}`;
}

/** Router for file routes that need an API key. */
export function fileRoutes(service: FileService, publicBaseUrl: string | undefined): Router {
  const router = Router();
  router.post('/api/v1/beta/files', async (req, res) => {
    res.status(201).json(await service.upload(principalOf(req), uploadBodyOf(req)));
  });
  router.post('/api/v1/files', async (req, res) => {
    res.status(200).json(await service.upload(principalOf(req), uploadBodyOf(req), req.query));
  });
  router.get('/api/v1/beta/files', async (req, res) => {
    res.json(await service.list(principalOf(req), parseOrThrow(fileListQuerySchema, req.query, 'query')));
  });
  // Before /:fileId, which would read "query" as a file id.
  router.post('/api/v1/beta/files/query', async (req, res) => {
    res.json(await service.query(principalOf(req), req.body));
  });
  router.get('/api/v1/beta/files/:fileId', async (req, res) => {
    res.json(await service.get(principalOf(req), req.params.fileId));
  });
  router.delete('/api/v1/beta/files/:fileId', async (req, res) => {
    await service.delete(principalOf(req), req.params.fileId);
    res.status(204).end();
  });
  router.get('/api/v1/beta/files/:fileId/content', async (req, res) => {
    const query = parseOrThrow(fileContentQuerySchema, req.query, 'query');
    const ttl = query.expires_at_seconds ?? 3600;
    res.json(await service.contentUrl(principalOf(req), req.params.fileId, baseUrl(req, publicBaseUrl), ttl));
  });
  return router;
}

/** The signed download link: authorised by its signature, so it sits before the key check. */
export function fileDownloadRoute(service: FileService): Router {
  const router = Router();
  router.get('/api/v1/beta/files/:fileId/download', async (req, res) => {
    const expires = Number(req.query.expires);
    const signature = typeof req.query.signature === 'string' ? req.query.signature : '';
    const file = await service.download(req.params.fileId, expires, signature);
    // As res.download answered for a file on disk: an attachment under the file's name, its
    // bytes typed as octet-stream whatever the name says, so a browser never renders them.
    res.attachment(file.name);
    res.type('application/octet-stream');
    res.setHeader('content-length', String(file.size));
    if (req.method === 'HEAD') {
      file.stream.destroy();
      res.end();
      return;
    }
    try {
      // A failure mid-stream (the store gone away) cuts the response short, so that no client
      // takes a truncated body for the whole file.
      await pipeline(file.stream, res);
    } catch (error) {
      // The client went away before the end: there is no one left to answer.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw error;
    }
  });
  return router;
}
