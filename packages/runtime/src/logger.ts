import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths that may hold secrets or document text. pino drops them before a line is
 * written, so a careless `log.info({ req })` cannot leak a key or a page.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'webhook_signing_secret',
  '*.webhook_signing_secret',
  'text',
  'markdown',
  'pages',
  '*.text',
  '*.markdown',
  '*.pages',
];

function keepCounts(value: unknown): unknown {
  return typeof value === 'number' ? value : '[redacted]';
}

export function createLogger(options: {
  name: string;
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      // A count under one of these names (a parse's `pages: 3`) holds no text: it stays.
      redact: { paths: REDACT_PATHS, censor: keepCounts },
      base: { app: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
