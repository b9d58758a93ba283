import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INVOICE_TEXT, RULES } from '../test-fixtures/documents.js';
import type { Run } from '../test-fixtures/run-built-cli.js';

const PACK_SCRIPT = fileURLToPath(new URL('../scripts/pack-global.mjs', import.meta.url));
const { version: VERSION } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const PROJECT = '44444444-4444-4444-8444-444444444444';

/** The environment minus npm's own settings (npx and pnpm pass theirs to children). */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^npm_/i.test(entry[0]),
    ),
  );
}

function run(command: string, args: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env, cwd }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }),
    );
  });
}

// What a user does: pack the CLI into one .tgz, `npm install -g` it, and call `classifyd` by
// name. The bundle runs from a prefix outside the repository, so it finds no workspace package.
describe('classifyd installed with npm install -g', () => {
  let dir: string;
  let prefix: string;
  let stack: ServiceStack;
  let classifydEnv: Record<string, string>;

  /** `classifyd` looked up on PATH, the way a shell finds it. */
  const classifyd = (args: string[]) => run('classifyd', args, classifydEnv, dir);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'classifyd-global-'));
    prefix = join(dir, 'prefix');
    const [packed, started] = await Promise.all([
      run(process.execPath, [PACK_SCRIPT, join(dir, 'out')], cleanEnv()),
      startServiceStack({
        redisUrl: inject('redisUrl'),
        label: 'cli-global',
        env: { API_KEYS: `global-key:${PROJECT}`, CLASSIFIER: 'embedded' },
      }),
    ]);
    stack = started;
    expect(packed.code, packed.stderr).toBe(0);
    const tgz = packed.stdout.trim();
    expect(tgz).toBe(join(dir, 'out', `classifyd-${VERSION}.tgz`));

    // A cache of its own: the install must need nothing but the .tgz.
    const npmArgs = [
      '--prefix',
      prefix,
      '--cache',
      join(dir, 'npm-cache'),
      '--offline',
      '--no-audit',
      '--no-fund',
    ];
    const install = await run('npm', ['install', '-g', tgz, ...npmArgs], cleanEnv(), dir);
    expect(install.code, install.stderr).toBe(0);

    // PATH: the prefix's bin first, then node's folder for the `#!/usr/bin/env node` line,
    // then the rest without any node_modules/.bin, so the workspace's own link cannot answer.
    const rest = (process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !/node_modules/.test(p));
    classifydEnv = {
      PATH: [join(prefix, 'bin'), dirname(process.execPath), ...rest].join(delimiter),
      HOME: dir,
      CLASSIFYD_URL: stack.baseUrl,
      CLASSIFYD_API_KEY: 'global-key',
    };
    writeFileSync(join(dir, 'invoice.txt'), INVOICE_TEXT);
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(RULES));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs one self-contained package: a bin link on the prefix, no dependencies', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'classifyd');
    expect(lstatSync(join(prefix, 'bin', 'classifyd')).isSymbolicLink()).toBe(true);
    expect(readdirSync(installed).sort()).toEqual(['dist', 'package.json']);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'classifyd',
      version: VERSION,
      type: 'module',
      engines: { node: '>=20.19' },
    });
    expect(manifest.dependencies).toBeUndefined();
  });

  it('prints usage with --help', async () => {
    const help = await classifyd(['--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:\s+classifyd classify/);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0 {2}every document COMPLETED/);
  }, 60_000);

  it('classifies a text file against the real service through the bundled SDK', async () => {
    const result = await classifyd(['classify', 'invoice.txt', '--rules', 'rules.json']);
    expect(result.stderr).toBe('1 document: 1 completed\n');
    expect(result.code).toBe(0);
    const [row, ...more] = JSON.parse(result.stdout);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      path: 'invoice.txt',
      status: 'COMPLETED',
      type: 'invoice',
      error_message: null,
    });
    expect(row.job_id).toMatch(/^clj-/);
    expect(row.confidence).toBeGreaterThan(0);
  }, 60_000);

  it('exits 3 with a clear message when the service cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await classifyd(['classify', 'invoice.txt', '--rules', 'rules.json', '--base-url', closed]);
    expect(down.code).toBe(3);
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(
      new RegExp(
        `^classifyd: ${closed}: cannot reach the service: .*is classifyd running at that --base-url\\?\\n$`,
      ),
    );
  }, 60_000);
});
