import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveDataDir } from './data-dir.js';
import { envFields, parseEnv } from './env.js';

describe('env parsing', () => {
  const schema = z.object({
    FLAG: envFields.boolean(false),
    COUNT: envFields.positiveInt(4),
    REDIS_URL: envFields.redisUrl,
  });

  it('applies defaults and reads booleans the way people write them', () => {
    expect(parseEnv(schema, {})).toEqual({ FLAG: false, COUNT: 4, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(parseEnv(schema, { FLAG: 'yes', COUNT: '7' })).toMatchObject({ FLAG: true, COUNT: 7 });
    expect(parseEnv(schema, { FLAG: '0' }).FLAG).toBe(false);
  });

  it('takes an empty variable as unset: defaults apply and optional settings stay off', () => {
    const withOptional = schema.extend({
      DASHBOARD_AUTH: z
        .string()
        .regex(/^[^:]+:.+$/)
        .optional(),
    });
    // What `FOO: ${FOO:-}` in a compose file hands the app when FOO is not exported.
    const empty = { FLAG: '', COUNT: '', REDIS_URL: '', DASHBOARD_AUTH: '' };
    expect(parseEnv(withOptional, empty)).toEqual({
      FLAG: false,
      COUNT: 4,
      REDIS_URL: 'redis://127.0.0.1:6379',
      DASHBOARD_AUTH: undefined,
    });
  });

  it('stops the process naming each bad variable, without echoing values', () => {
    const module = fileURLToPath(new URL('../dist/env.js', import.meta.url));
    const script = `import('${module}').then(({ parseEnv, envFields }) => import('zod').then(({ z }) =>
      parseEnv(z.object({ COUNT: envFields.positiveInt(1), REDIS_URL: envFields.redisUrl }), { COUNT: 'many', REDIS_URL: 'http://secret@host' })))`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('COUNT');
    expect(run.stderr).toContain('REDIS_URL');
    expect(run.stderr).not.toContain('secret');
  });

  it('takes a relative DATA_DIR from the install root, not the working directory', () => {
    const main = 'file:///srv/classifyd/apps/api/dist/main.js';
    expect(resolveDataDir('./.data', main)).toBe('/srv/classifyd/.data');
    expect(resolveDataDir('/var/lib/classifyd', main)).toBe('/var/lib/classifyd');
  });
});
