#!/usr/bin/env node
// Packs the built CLI as one self-contained npm package, for `npm install -g`:
//
//   node packages/cli/scripts/pack-global.mjs [OUT_DIR]     (default OUT_DIR: packages/cli/)
//   npm install -g packages/cli/classifyd-<version>.tgz
//
// dist/main.js and everything it imports (@classifyd/shared, the SDK, zod) become one ESM file,
// so the package has no dependencies and needs no workspace: nothing is installed, and the
// workspace's node_modules and lockfile are never touched. Run `pnpm build` first (or
// `pnpm classifyd:pack` from the repo root, which does both). A relative OUT_DIR is taken from
// the current directory (packages/cli under `pnpm --filter`). Prints the path of the .tgz.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(CLI_DIR, 'dist', 'main.js');
const BIN = 'dist/classifyd.js';

function fail(message) {
  console.error(`pack-global: ${message}`);
  process.exit(1);
}

const [outArg, ...extra] = process.argv.slice(2);
if (extra.length > 0 || outArg === '-h' || outArg === '--help') {
  fail('usage: node scripts/pack-global.mjs [OUT_DIR]  (default: packages/cli/)');
}
const outDir = outArg === undefined ? CLI_DIR : resolve(outArg);
if (!existsSync(ENTRY)) fail(`${ENTRY} is missing: run \`pnpm build\` first`);

const { version } = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8'));
const staging = mkdtempSync(join(tmpdir(), 'classifyd-pack-'));
try {
  const result = await build({
    entryPoints: [ENTRY],
    outfile: join(staging, BIN),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A CommonJS dependency bundled into ESM calls require() for node: built-ins, which needs a
    // real require; esbuild's shim uses this one. None does today (pngjs is only in `pnpm eval`,
    // which is not bundled), so this keeps a future one from failing at run time only.
    banner: {
      js: "import { createRequire as __classifydCreateRequire } from 'node:module';\nconst require = __classifydCreateRequire(import.meta.url);",
    },
    legalComments: 'eof',
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');

  const manifest = {
    name: 'classifyd',
    version,
    description:
      'classifyd command line: classify documents with a classifyd or LlamaCloud Classify v2 service',
    // Never published to the registry: the .tgz is installed directly.
    private: true,
    type: 'module',
    bin: { classifyd: BIN },
    engines: { node: '>=20.19' },
    files: [BIN],
  };
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  // The bundle must start with nothing but itself: the staging folder has no node_modules.
  const help = execFileSync(process.execPath, [join(staging, BIN), '--help'], {
    cwd: staging,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!/Usage:\s+classifyd classify/.test(help))
    throw new Error(`the bundle does not print its usage:\n${help}`);

  mkdirSync(outDir, { recursive: true });
  // The npm_* variables pnpm or npx set for their scripts are not meant for this npm pack.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
    cwd: staging,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
  });
  const [{ filename }] = JSON.parse(packed);
  console.log(join(outDir, filename));
} catch (error) {
  console.error(`pack-global: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(staging, { recursive: true, force: true });
}
