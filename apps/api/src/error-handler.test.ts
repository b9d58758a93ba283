import { AppError } from '@classifyd/shared';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';

function appThrowing(error: unknown) {
  const app = express();
  app.use(express.json());
  app.post('/x', () => {
    throw error;
  });
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

describe('error handler', () => {
  it('hides internals on a 500', async () => {
    const res = await request(appThrowing(new Error('SELECT * FROM secrets failed at db.ts:12'))).post('/x');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ detail: 'Internal server error' });
  });

  it('answers 503 with Retry-After when Redis is unreachable', async () => {
    const res = await request(
      appThrowing(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).post('/x');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
  });

  it('tells the SDK not to retry a conflict', async () => {
    const res = await request(appThrowing(new AppError('conflict', 'already finished'))).post('/x');
    expect(res.status).toBe(409);
    expect(res.headers['x-should-retry']).toBe('false');
    expect(res.body).toEqual({ detail: 'already finished' });
  });

  it('answers malformed JSON with a FastAPI-shaped 422', async () => {
    const res = await request(appThrowing(new Error('unreachable')))
      .post('/x')
      .set('content-type', 'application/json')
      .send('{"a":');
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_invalid' });
  });
});
