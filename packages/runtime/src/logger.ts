import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

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

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT unset: readable lines for a person at a terminal in development, JSON for
 * everything else (a log collector, a pipe, production).
 */
export function defaultLogFormat(nodeEnv: string | undefined, stdoutIsTty: boolean): LogFormat {
  return stdoutIsTty && nodeEnv !== 'production' ? 'pretty' : 'json';
}

export function createLogger(options: {
  name: string;
  level: string;
  format?: LogFormat;
  destination?: pino.DestinationStream;
}): Logger {
  const out = options.destination ?? pino.destination({ sync: false });
  return pino(
    {
      name: options.name,
      level: options.level,
      // A count under one of these names (a parse's `pages: 3`) holds no text: it stays.
      redact: { paths: REDACT_PATHS, censor: keepCounts },
      base: { app: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Redaction happens before either: pretty lines hold no more than JSON ones.
    options.format === 'pretty'
      ? pretty({
          destination: out,
          colorize: options.destination === undefined && process.stdout.isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,app',
          singleLine: true,
        })
      : out,
  );
}
