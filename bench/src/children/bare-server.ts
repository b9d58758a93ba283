// The api-create baseline: Express with a JSON body parser and one route that checks
// nothing and answers {ok:true}. What is left between it and classifyd is classifyd's own work.
import express from 'express';
import { report, runChild } from '../lib/child.js';

async function main(): Promise<void> {
  const port = Number(process.env.BENCH_PORT);
  const app = express();
  app.use(express.json({ limit: '2mb' }));
  app.post('/api/v2/classify', (_req, res) => {
    res.status(200).json({ ok: true });
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  report({ type: 'ready', port });
}

runChild(main);
