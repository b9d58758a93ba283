import type { Queues } from '@classifyd/pipeline';
import { type MetricsAccess, metricsRefusal, type Tracing } from '@classifyd/runtime';
import express from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { authenticate, type KeyRing } from './auth.js';
import { dashboardRouter } from './dashboard.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { refuseDeepJson } from './json-depth.js';
import type { ApiMetrics } from './metrics.js';
import { requestLog } from './request-log.js';
import { traceRequests } from './request-trace.js';
import { classifyRoutes } from './routes/classify-routes.js';
import { configurationRoutes } from './routes/configuration-routes.js';
import { docsRoutes } from './routes/docs-routes.js';
import { exampleRoutes } from './routes/example-routes.js';
import { fileDownloadRoute, fileRoutes } from './routes/file-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { parseRoutes } from './routes/parse-routes.js';
import { webhookConfigRoutes } from './routes/webhook-config-routes.js';
import type { ClassifyService } from './services/classify-service.js';
import type { ConfigurationService } from './services/configuration-service.js';
import type { CorrectionService } from './services/correction-service.js';
import type { ExampleService } from './services/example-service.js';
import type { FileService } from './services/file-service.js';
import type { ParseService } from './services/parse-service.js';
import type { WebhookConfigService } from './services/webhook-config-service.js';

export interface AppDeps {
  logger: Logger;
  redis: Redis | Cluster;
  queues: Queues;
  keyRing: KeyRing;
  /** null: no dashboard; 'open': no login; else `user:password`. */
  dashboard: string | 'open' | null;
  metrics: ApiMetrics;
  /** Who may read /metrics (METRICS_AUTH, METRICS_OPEN). */
  metricsAccess: MetricsAccess;
  /** Spans of requests, whose context the jobs they make carry on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing: Tracing;
  classify: ClassifyService;
  files: FileService;
  parse: ParseService;
  configurations: ConfigurationService;
  examples: ExampleService;
  webhookConfigs: WebhookConfigService;
  corrections: CorrectionService;
  publicBaseUrl: string | undefined;
  /** Per-project limit on requests that create work (see rate-limit.ts). */
  workLimiter: express.RequestHandler;
  version: string;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  if (deps.tracing.enabled) app.use(traceRequests(deps.tracing));
  app.use(requestLog(deps.logger));
  app.use(deps.metrics.observe);
  // The API first: a client's requests (creates, the reads of a job it polls) pass no other
  // router on their way. Paths do not overlap, so the order changes nothing else.
  app.use(fileDownloadRoute(deps.files));
  app.use('/api', authenticate(deps.keyRing));
  app.use('/api', deps.workLimiter);
  app.use('/api', express.json({ limit: '2mb' }));
  app.use('/api', refuseDeepJson);
  app.use(classifyRoutes(deps.classify, deps.corrections));
  app.use(parseRoutes(deps.parse));
  app.use(fileRoutes(deps.files, deps.publicBaseUrl));
  app.use(configurationRoutes(deps.configurations));
  app.use(exampleRoutes(deps.examples));
  app.use(webhookConfigRoutes(deps.webhookConfigs));
  app.use(healthRoutes(deps.redis, deps.queues));
  app.get('/metrics', async (req, res) => {
    const refused = metricsRefusal(deps.metricsAccess, req.get('authorization'));
    if (refused) {
      res.status(refused.status).json({ detail: refused.detail });
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use(docsRoutes(deps.version));
  if (deps.dashboard !== null)
    app.use(dashboardRouter(deps.queues, deps.redis, deps.dashboard === 'open' ? null : deps.dashboard));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
