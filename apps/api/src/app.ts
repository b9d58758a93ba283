import type { Queues } from '@classifyd/pipeline';
import express from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { authenticate, type KeyRing } from './auth.js';
import { dashboardRouter } from './dashboard.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { refuseDeepJson } from './json-depth.js';
import type { ApiMetrics } from './metrics.js';
import { classifyRoutes } from './routes/classify-routes.js';
import { configurationRoutes } from './routes/configuration-routes.js';
import { docsRoutes } from './routes/docs-routes.js';
import { exampleRoutes } from './routes/example-routes.js';
import { fileDownloadRoute, fileRoutes } from './routes/file-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { parseRoutes } from './routes/parse-routes.js';
import type { ClassifyService } from './services/classify-service.js';
import type { ConfigurationService } from './services/configuration-service.js';
import type { CorrectionService } from './services/correction-service.js';
import type { ExampleService } from './services/example-service.js';
import type { FileService } from './services/file-service.js';
import type { ParseService } from './services/parse-service.js';

export interface AppDeps {
  logger: Logger;
  redis: Redis | Cluster;
  queues: Queues;
  keyRing: KeyRing;
  /** null: no dashboard; 'open': no login; else `user:password`. */
  dashboard: string | 'open' | null;
  metrics: ApiMetrics;
  classify: ClassifyService;
  files: FileService;
  parse: ParseService;
  configurations: ConfigurationService;
  examples: ExampleService;
  corrections: CorrectionService;
  publicBaseUrl: string | undefined;
  /** Per-project limit on requests that create work (see rate-limit.ts). */
  workLimiter: express.RequestHandler;
  version: string;
}

/** A read of one job (status, result): what a client waiting for the job repeats. */
const JOB_READ = /^\/api\/v2\/(classify|parse)\/[^/?]+/;

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger: deps.logger,
      // Method, path and status only: headers carry keys, query strings may carry ids of other systems.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customProps: (req) => ({ projectId: (req as express.Request).principal?.projectId }),
      // Clients poll a job until it ends: those reads would drown the log at info.
      customLogLevel: (req, res, err) => {
        if (err || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        return req.method === 'GET' && JOB_READ.test(req.url ?? '') ? 'debug' : 'info';
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    }),
  );
  app.use(deps.metrics.observe);
  app.use(healthRoutes(deps.redis, deps.queues));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use(docsRoutes(deps.version));
  if (deps.dashboard !== null)
    app.use(dashboardRouter(deps.queues, deps.redis, deps.dashboard === 'open' ? null : deps.dashboard));
  app.use(fileDownloadRoute(deps.files));
  app.use('/api', authenticate(deps.keyRing));
  app.use('/api', deps.workLimiter);
  app.use(express.json({ limit: '2mb' }));
  app.use(refuseDeepJson);
  app.use(classifyRoutes(deps.classify, deps.corrections));
  app.use(parseRoutes(deps.parse));
  app.use(fileRoutes(deps.files, deps.publicBaseUrl));
  app.use(configurationRoutes(deps.configurations));
  app.use(exampleRoutes(deps.examples));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
