import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { requestLog } from './request-log.js';

/** An app whose request log lines are kept, parsed, for the test to read. */
function appLogging(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = express();
  app.use(requestLog(pino({ level }, sink)));
  app.post('/api/v2/classify', (_req, res) => {
    res.locals.jobId = 'clj-1';
    res.status(201).json({ ok: true });
  });
  app.get('/api/v2/classify/:id', (_req, res) => void res.json({ ok: true }));
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  return { app, lines };
}

describe('request log', () => {
  it('writes one info line per request: method, path without query, status, duration; no headers', async () => {
    const { app, lines } = appLogging();
    const res = await request(app)
      .post('/api/v2/classify?token=abc')
      .set('authorization', 'Bearer secret-key')
      .send({});
    expect(res.status).toBe(201);
    expect(lines).toHaveLength(1);
    const line = lines[0] as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      path: '/api/v2/classify',
      status: 201,
      jobId: 'clj-1',
    });
    expect(typeof line.ms).toBe('number');
    expect(line.reqId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(lines)).not.toMatch(/secret-key|token=abc/);
  });

  it('logs polling reads of a job at debug, so they stay out of the info log', async () => {
    const { app, lines } = appLogging();
    await request(app).get('/api/v2/classify/clj-1');
    expect(lines).toHaveLength(0);
    const debug = appLogging('debug');
    await request(debug.app).get('/api/v2/classify/clj-1');
    expect(debug.lines[0]).toMatchObject({ level: 20, path: '/api/v2/classify/clj-1', status: 200 });
  });

  it('logs a client error at warn and leaves health checks out', async () => {
    const { app, lines } = appLogging();
    await request(app).get('/nowhere');
    await request(app).get('/health');
    expect(lines.map((l) => [l.level, l.path, l.status])).toEqual([[40, '/nowhere', 404]]);
  });

  it("keeps the caller's request id when it looks like one, and replaces one that does not", async () => {
    const { app, lines } = appLogging();
    const kept = await request(app).post('/api/v2/classify').set('x-request-id', 'trace-42.a:b');
    expect(kept.headers['x-request-id']).toBe('trace-42.a:b');
    const replaced = await request(app).post('/api/v2/classify').set('x-request-id', 'x"\\u0000 injected');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.map((l) => l.reqId)).toEqual(['trace-42.a:b', replaced.headers['x-request-id']]);
  });
});
