import { z } from 'zod';

/**
 * Parses an app's environment with its schema. A bad value stops the process with a
 * message naming each variable; values are never echoed, since some are secrets.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  process.stderr.write(`Invalid environment:\n${lines.join('\n')}\n`);
  process.exit(78);
}

/** Shared pieces of the env schemas, so that every app reads a setting the same way. */
export const envFields = {
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  queuePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]{1,64}$/, 'must be 1-64 characters of letters, digits, _ . - { }')
    .default('classifyd'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: z.string().optional(),
  dataDir: z.string().min(1).default('./.data'),
  positiveInt: (fallback: number) => z.coerce.number().int().min(1).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};
