import { spawn } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type ServiceStack, startServiceStack, textImageFile, textPdf } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { RECIPE_TEXT, RULES } from './documents.js';

/**
 * What the image holds, without a container engine: infra/build-bundle.sh (the script the
 * Dockerfile runs) builds the apps into a temp folder, and the three apps are started from
 * that folder alone, through the image's entrypoint, and classify documents.
 */
const REPO = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
const APPS = ['api', 'parse-worker', 'classify-worker'] as const;
const SLOW_POLL = { ...POLL, timeout: 120 };

function runBuild(outDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn('sh', [join(REPO, 'infra', 'build-bundle.sh'), outDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => done({ code, output }));
  });
}

/** Every path in the folder (depth first), without following symlinks. */
function walk(dir: string, visit: (path: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    visit(path);
    if (entry.isDirectory()) walk(path, visit);
  }
}

const inside = (root: string, path: string) => path === root || path.startsWith(root + sep);

describe('the image bundle (infra/build-bundle.sh), started from its own folder', () => {
  let bundle: string;
  let stack: ServiceStack | undefined;
  const healthPorts: Record<string, number> = {};

  beforeAll(async () => {
    bundle = realpathSync(mkdtempSync(join(tmpdir(), 'classifyd-bundle-')));
    const build = await runBuild(bundle);
    if (build.code !== 0) throw new Error(`build-bundle.sh failed (${build.code}):\n${build.output}`);
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });

  it('holds the three apps and the entrypoint, every symlink inside it, and no sources or data', () => {
    expect(readdirSync(bundle).sort()).toEqual([
      'api',
      'classify-worker',
      'docker-entrypoint.sh',
      'parse-worker',
    ]);
    const escaping: string[] = [];
    const strays: string[] = [];
    walk(bundle, (path) => {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) {
        const target = resolve(dirname(path), readlinkSync(path));
        let real = '';
        try {
          real = realpathSync(path);
        } catch {
          escaping.push(`${relative(bundle, path)} -> ${target} (dangling)`);
          return;
        }
        if (!inside(bundle, target) || !inside(bundle, real))
          escaping.push(`${relative(bundle, path)} -> ${real}`);
        return;
      }
      const name = relative(bundle, path);
      if (/(^|\/)(\.data|\.env|\.git|\.turbo|coverage)(\/|$)/.test(name) || /\.tsbuildinfo$/.test(name)) {
        strays.push(name);
      }
      if (
        /^[^/]+\/(src|node_modules\/\.pnpm\/@classifyd\+[^/]+\/node_modules\/@classifyd\/[^/]+\/src)\//.test(
          name,
        )
      ) {
        strays.push(name);
      }
    });
    expect(escaping).toEqual([]);
    expect(strays).toEqual([]);
    for (const app of APPS) {
      const manifest = JSON.parse(readFileSync(join(bundle, app, 'package.json'), 'utf8')) as {
        name: string;
      };
      expect(manifest.name).toBe(`@classifyd/${app}`);
      expect(lstatSync(join(bundle, app, 'dist', 'main.js')).isFile()).toBe(true);
    }
  });

  it('carries what the apps load at run time: word vectors and OCR language data', () => {
    const vectors = join(bundle, 'classify-worker', 'node_modules', '@classifyd', 'classifier', 'assets');
    expect(readdirSync(vectors)).toContain('glove-50k-int8.bin');
    const store = readdirSync(join(bundle, 'parse-worker', 'node_modules', '.pnpm'));
    for (const language of ['eng', 'deu', 'fra', 'spa']) {
      expect(
        store.some((d) => d.startsWith(`@tesseract.js-data+${language}@`)),
        language,
      ).toBe(true);
    }
    expect(
      store.some((d) => d.startsWith('tesseract.js-core@')),
      'OCR engine (wasm)',
    ).toBe(true);
    expect(
      store.some((d) => d.startsWith('pdfjs-dist@')),
      'pdf.js with its fonts and decoders',
    ).toBe(true);
  });

  it('starts each app through the entrypoint and classifies a text PDF and a scanned image', async () => {
    healthPorts['parse-worker'] = await freePort();
    healthPorts['classify-worker'] = await freePort();
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'bundle',
      env: { API_KEYS },
      workers: [],
      bundleDir: bundle,
    });
    for (const worker of ['parse-worker', 'classify-worker'] as const) {
      await stack.startApp(worker, { METRICS_PORT: String(healthPorts[worker]) });
    }
    // Each process runs from the bundle: its working directory, and every native module it mapped.
    for (const app of stack.apps) {
      const pid = app.child.pid as number;
      expect(realpathSync(`/proc/${pid}/cwd`)).toBe(join(bundle, app.name));
      const mapped = readFileSync(`/proc/${pid}/maps`, 'utf8')
        .split('\n')
        .map((line) => line.split(/\s+/)[5] ?? '')
        .filter((path) => path.startsWith('/'));
      expect(mapped.filter((path) => inside(REPO, path))).toEqual([]);
    }

    const client = sdk(stack.baseUrl, 'key-a');
    const classify = async (bytes: Uint8Array, name: string) => {
      const file = await client.files.create({
        file: await toFile(Buffer.from(bytes), name),
        purpose: 'classify',
      });
      return client.classify.run({ file_input: file.id, configuration: { rules: RULES } }, SLOW_POLL);
    };
    const recipe = await classify(await textPdf([RECIPE_TEXT.split('\n')]), 'cake.pdf');
    expect(recipe.status).toBe('COMPLETED');
    expect(recipe.result?.type).toBe('recipe');

    const scan = await textImageFile('png', [
      'INVOICE',
      'Invoice number 4711',
      'Invoice date 3 March 2026',
      'Total amount due 320.70 EUR',
      'VAT 19 percent, payment within 30 days',
    ]);
    const invoice = await classify(scan, 'scan.png');
    expect(invoice.status).toBe('COMPLETED');
    expect(invoice.result?.type).toBe('invoice');

    // The parse worker read the scan with the OCR data from the bundle, not from the repo.
    const parseWorker = stack.apps.find((app) => app.name === 'parse-worker');
    const mapped = readFileSync(`/proc/${parseWorker?.child.pid}/maps`, 'utf8');
    expect(mapped).not.toContain(REPO);

    for (const worker of ['parse-worker', 'classify-worker']) {
      const ready = await fetch(`http://127.0.0.1:${healthPorts[worker]}/ready`);
      expect(ready.status, worker).toBe(200);
      expect((await fetch(`http://127.0.0.1:${healthPorts[worker]}/health`)).status, worker).toBe(200);
    }
  }, 300_000);
});
