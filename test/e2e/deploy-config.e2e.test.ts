import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, removePrefix, type ServiceStack, startServiceStack } from '@classifyd/testkit';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { toFile } from '@llamaindex/llama-cloud';
import { Redis } from 'ioredis';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { sdk } from './clients.js';

/**
 * The deployment files checked offline, as a cluster or compose would read them: every
 * Kubernetes manifest against the Kubernetes and KEDA schemas, and every environment
 * variable they set against the env schema of the app that receives it.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const INFRA = join(REPO, 'infra');
const K8S = join(INFRA, 'k8s');
const read = (path: string) => readFileSync(path, 'utf8');

type AppName = 'api' | 'parse-worker' | 'classify-worker';
const APPS: AppName[] = ['api', 'parse-worker', 'classify-worker'];
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
// biome-ignore lint/suspicious/noExplicitAny: manifests are plain YAML data, navigated by tests
type Any = any;

// ---- Kubernetes manifests ------------------------------------------------------------

const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'policy/v1': policyV1,
  'keda.sh/v1alpha1': keda,
};

/** Throws, naming the manifest and the field, unless the object is valid for its kind's schema. */
function validateManifest(object: Manifest): void {
  const name = `${object?.kind ?? '(no kind)'} ${object?.metadata?.name ?? '(no name)'}`;
  const Model = MODELS[object?.apiVersion]?.[object?.kind] as
    | (new (
        data: unknown,
      ) => { validate(): void })
    | undefined;
  if (!Model) throw new Error(`${name}: unknown apiVersion/kind ${object?.apiVersion}/${object?.kind}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  // What the schemas cannot say: a workload's selector must pick its own pods.
  const spec = (object as Any).spec;
  if (spec?.selector?.matchLabels && spec.template) {
    for (const [key, value] of Object.entries(spec.selector.matchLabels)) {
      if (spec.template.metadata?.labels?.[key] !== value)
        throw new Error(`${name}: selector ${key}=${value} does not match the pod template's labels`);
    }
  }
}

function loadManifests(): Array<Manifest & { file: string }> {
  const manifests: Array<Manifest & { file: string }> = [];
  for (const file of readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
    for (const document of parseAllDocuments(read(join(K8S, file)))) {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      const object = document.toJS() as Manifest | null;
      if (object) manifests.push({ ...object, file });
    }
  }
  return manifests;
}

const manifests = loadManifests();
const withoutFile = ({ file: _file, ...object }: Manifest & { file: string }): Manifest => object;
const find = (kind: string, name: string): Any => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in infra/k8s`);
  return found;
};
const deployments = manifests.filter((m) => m.kind === 'Deployment') as Any[];
const appContainer = (deployment: Any) => deployment.spec.template.spec.containers[0];
const appOf = (deployment: Any) => appContainer(deployment).args[0] as AppName;

// ---- environments --------------------------------------------------------------------

/** The image's own ENV (final stage of infra/Dockerfile): the base every container starts from. */
function imageEnv(): Record<string, string> {
  const stages = read(join(INFRA, 'Dockerfile'))
    .replace(/\\\n/g, ' ')
    .split(/^FROM /m);
  const env: Record<string, string> = {};
  for (const line of (stages.at(-1) ?? '').split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, key, value] of line.matchAll(/([A-Z_][A-Z0-9_]*)=(\S*)/g))
      env[key as string] = value as string;
  }
  return env;
}

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `$$` for a literal `$`. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (match, name, op, arg) => {
    if (match === '$$') return '$';
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    if (op === ':?') throw new Error(`compose needs ${name}: ${arg}`);
    return op === ':-' ? arg : '';
  });
}

function readEnvFile(path: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of read(path).split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) vars[match[1] as string] = match[2] as string;
  }
  return vars;
}

/** Each app service of compose.yaml, with the environment compose would hand it given `vars`. */
function composeServices(
  vars: Record<string, string>,
): Array<{ service: string; app: AppName; env: Record<string, string> }> {
  const compose = parseYaml(interpolate(read(join(INFRA, 'compose.yaml')), vars), { merge: true }) as Any;
  return Object.entries(compose.services as Record<string, Any>)
    .filter(([, service]) => service.command && APPS.includes(service.command[0]))
    .map(([service, definition]) => ({
      service,
      app: definition.command[0] as AppName,
      env: Object.fromEntries(
        Object.entries(definition.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]),
      ),
    }));
}

/** The environment a Kubernetes container gets: envFrom ConfigMaps, then env (values and secret keys). */
function podEnv(deployment: Any): Record<string, string> {
  const container = appContainer(deployment);
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, find('ConfigMap', source.configMapRef.name).data);
    if (source.secretRef) Object.assign(env, find('Secret', source.secretRef.name).stringData);
  }
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef ?? entry.valueFrom?.configMapKeyRef;
    if (!ref) {
      env[entry.name] = entry.value;
      continue;
    }
    const source = entry.valueFrom.secretKeyRef
      ? find('Secret', ref.name).stringData
      : find('ConfigMap', ref.name).data;
    if (!(ref.key in source) && !ref.optional)
      throw new Error(`${entry.name}: ${ref.name} has no key ${ref.key}`);
    if (ref.key in source) env[entry.name] = source[ref.key];
  }
  return env;
}

/** Each app's env module (src/env.ts), as its build is loaded below from dist/env.js. */
type EnvModule =
  | typeof import('../../apps/api/src/env.js')
  | typeof import('../../apps/parse-worker/src/env.js')
  | typeof import('../../apps/classify-worker/src/env.js');
type EnvSchema = EnvModule['envSchema'];

const schemas = Object.fromEntries(
  await Promise.all(
    APPS.map(async (app) => {
      const module = (await import(join(REPO, 'apps', app, 'dist', 'env.js'))) as EnvModule;
      return [app, module.envSchema] as const;
    }),
  ),
) as Record<AppName, EnvSchema>;
// Read by the AWS SDK in the apps that store files, not by their own schema.
const SDK_VARS: Record<AppName, string[]> = {
  api: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  'parse-worker': ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  'classify-worker': [],
};

/**
 * The app's own check of `given` on top of the image's ENV: unknown variables (which the
 * app would silently ignore) and values its schema refuses are both failures, by name.
 * Empty values count as unset, as in the apps.
 */
function checkEnv(app: AppName, given: Record<string, string>, where: string): Record<string, unknown> {
  const schema = schemas[app];
  const unknown = Object.keys(given).filter((key) => !(key in schema.shape) && !SDK_VARS[app].includes(key));
  expect(unknown, `${where}: variables ${app} does not read`).toEqual([]);
  const merged = Object.fromEntries(
    Object.entries({ ...imageEnv(), ...given }).filter(([key, value]) => value !== '' && key in schema.shape),
  );
  const parsed = schema.safeParse(merged);
  expect(
    parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [],
    `${where}: ${app}`,
  ).toEqual([]);
  return parsed.data as Record<string, unknown>;
}

/** A Redis password, from REDIS_PASSWORD or inside REDIS_URL. */
const redisPasswordOf = (env: Record<string, unknown>) =>
  env.REDIS_PASSWORD ?? (new URL(String(env.REDIS_URL)).password || undefined);

// ---- tests ---------------------------------------------------------------------------

describe('Kubernetes manifests (infra/k8s), validated offline', () => {
  it('are all valid for the Kubernetes and KEDA schemas, and kustomization.yaml lists every file', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) validateManifest(withoutFile(manifest));
    const kustomization = parseYaml(read(join(K8S, 'kustomization.yaml'))) as Any;
    const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('rejects a broken manifest, naming it and the field', () => {
    const api = structuredClone(withoutFile(find('Deployment', 'classifyd-api')));
    (api as Any).spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => validateManifest(api)).toThrow(/Deployment classifyd-api: .*containerPort must be integer/);

    const noContainers = structuredClone(withoutFile(find('Deployment', 'classifyd-api')));
    delete (noContainers as Any).spec.template.spec.containers;
    expect(() => validateManifest(noContainers)).toThrow(/containers/);

    const strayLabels = structuredClone(withoutFile(find('Deployment', 'classifyd-api')));
    (strayLabels as Any).spec.template.metadata.labels = { app: 'other' };
    expect(() => validateManifest(strayLabels)).toThrow(/selector/);

    const scaled = structuredClone(withoutFile(find('ScaledObject', 'classifyd-parse-worker')));
    (scaled as Any).spec.minReplicaCount = 'zero';
    expect(() => validateManifest(scaled)).toThrow(/minReplicaCount must be integer/);

    expect(() =>
      validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }),
    ).toThrow(/unknown apiVersion\/kind/);
  });

  it('run every app non-root with probes, requests and limits, and a grace period past the 30 s drain', () => {
    const shutdownDeadlineS = 30; // createShutdown(..., 30_000) in each app's main.ts
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'classifyd-api',
      'classifyd-classify-duties',
      'classifyd-classify-worker',
      'classifyd-parse-worker',
    ]);
    for (const deployment of [...deployments, find('StatefulSet', 'redis')]) {
      const pod = deployment.spec.template.spec;
      const where = deployment.metadata.name;
      expect(pod.securityContext, where).toMatchObject({ runAsNonRoot: true, fsGroup: expect.any(Number) });
      expect(pod.securityContext.runAsUser, where).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds, where).toBeGreaterThanOrEqual(shutdownDeadlineS);
      for (const container of pod.containers) {
        expect(container.readinessProbe, where).toBeDefined();
        expect(container.livenessProbe, where).toBeDefined();
        expect(Object.keys(container.resources.requests).sort(), where).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources.limits).sort(), where).toEqual(['cpu', 'memory']);
        expect(container.securityContext.allowPrivilegeEscalation, where).toBe(false);
      }
    }
    for (const deployment of deployments.filter((d) => appOf(d) !== 'api')) {
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(shutdownDeadlineS);
      const env = podEnv(deployment);
      const port = Number(env.METRICS_PORT);
      expect(port, deployment.metadata.name).toBeGreaterThan(0);
      const probePort = appContainer(deployment).readinessProbe.httpGet.port;
      const ports = appContainer(deployment).ports;
      expect(
        ports.find((p: Any) => p.name === probePort || p.containerPort === probePort)?.containerPort,
      ).toBe(port);
    }
  });

  it('scale parse and classify workers from zero on their BullMQ lists; duties stay at one replica', async () => {
    const { QUEUE_NAMES } = (await import(join(REPO, 'packages', 'pipeline', 'dist', 'index.js'))) as {
      QUEUE_NAMES: string[];
    };
    const prefix = find('ConfigMap', 'classifyd-common').data.QUEUE_PREFIX;
    const listsOf = (name: string) =>
      find('ScaledObject', name).spec.triggers.map((t: Any) => {
        expect(t.type).toBe('redis');
        expect(t.authenticationRef.name).toBe('classifyd-redis');
        return t.metadata.listName as string;
      });
    const lists = (queues: string[]) =>
      queues.flatMap((q) => [`${prefix}:${q}:wait`, `${prefix}:${q}:active`]);
    expect(listsOf('classifyd-parse-worker')).toEqual(lists(['parse']));
    // Classify workers also serve the example queue: it scales them too.
    expect(listsOf('classifyd-classify-worker')).toEqual(lists(['classify', 'example']));
    for (const queue of ['parse', 'classify', 'example']) expect(QUEUE_NAMES).toContain(queue);
    for (const name of ['classifyd-parse-worker', 'classifyd-classify-worker']) {
      const scaled = find('ScaledObject', name);
      expect(scaled.spec.minReplicaCount).toBe(0);
      find('Deployment', scaled.spec.scaleTargetRef.name);
      // KEDA owns the replica count; a fixed one would fight it on every apply.
      expect(find('Deployment', name).spec.replicas).toBeUndefined();
    }
    const secretRef = find('TriggerAuthentication', 'classifyd-redis').spec.secretTargetRef[0];
    expect(find('Secret', secretRef.name).stringData[secretRef.key]).toBeTruthy();

    expect(podEnv(find('Deployment', 'classifyd-classify-worker')).WORKER_DUTIES).toBe('jobs');
    const duties = find('Deployment', 'classifyd-classify-duties');
    expect(duties.spec.replicas).toBe(1);
    expect(podEnv(duties).WORKER_DUTIES).toBe('duties');
    expect(
      manifests.some(
        (m) => m.kind === 'ScaledObject' && (m as Any).spec.scaleTargetRef.name === duties.metadata.name,
      ),
    ).toBe(false);
  });

  it('keep files in S3 (no ReadWriteMany volume) and run Redis with the same redis.conf and the password', () => {
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(JSON.stringify(manifests)).not.toContain('ReadWriteMany');
    for (const deployment of deployments.filter((d) => appOf(d) !== 'classify-worker')) {
      expect(podEnv(deployment)).toMatchObject({ BLOB_STORE: 's3', S3_BUCKET: expect.any(String) });
    }
    expect(find('ConfigMap', 'redis-conf').data['redis.conf']).toBe(read(join(INFRA, 'redis.conf')));
    const redis = find('StatefulSet', 'redis').spec.template.spec.containers[0];
    expect(redis.command.join(' ')).toContain('--requirepass "$REDIS_PASSWORD"');
    const secret = find('Secret', 'classifyd-secrets').stringData;
    for (const deployment of deployments) {
      expect(redisPasswordOf(podEnv(deployment)), deployment.metadata.name).toBe(secret.REDIS_PASSWORD);
    }
  });

  it('give each app only variables its env schema reads, with values it accepts, API keys in production', () => {
    for (const deployment of deployments) {
      const app = appOf(deployment);
      const env = checkEnv(app, podEnv(deployment), `infra/k8s ${deployment.metadata.name}`);
      expect(env.NODE_ENV).toBe('production');
      if (app === 'api') expect(env.API_KEYS).toBeTruthy();
      if (app !== 'api') expect(env.METRICS_PORT).toBeGreaterThan(0);
    }
  });
});

describe('compose.yaml and production.env.example', () => {
  it('with no .env: development mode, every app gets variables it reads and accepts', () => {
    const services = composeServices({});
    expect(services.map((s) => s.app).sort()).toEqual([...APPS].sort());
    for (const { service, app, env } of services) {
      const parsed = checkEnv(app, env, `compose ${service}`);
      expect(parsed.NODE_ENV, service).toBeUndefined();
      expect(redisPasswordOf(parsed), service).toBeUndefined();
      if (app === 'api') {
        // Unset, not empty: the API runs open on one project and Bull Board is open.
        expect(parsed.API_KEYS).toBeUndefined();
        expect(parsed.DASHBOARD_AUTH).toBeUndefined();
        expect(parsed.HOST).toBe('0.0.0.0');
        expect(parsed.PORT).toBe(8080);
      } else {
        expect(parsed.METRICS_PORT, service).toBe(9090);
      }
    }
  });

  it('with production.env.example: production, API keys, Bull Board auth, the Redis password in REDIS_URL', () => {
    const vars = readEnvFile(join(INFRA, 'production.env.example'));
    const composeText = read(join(INFRA, 'compose.yaml'));
    const unused = Object.keys(vars).filter((key) => !composeText.includes(`\${${key}:-`));
    expect(unused, 'set in production.env.example but never read by compose.yaml').toEqual([]);
    for (const { service, app, env } of composeServices(vars)) {
      const parsed = checkEnv(app, env, `compose ${service} (production)`);
      expect(parsed.NODE_ENV, service).toBe('production');
      expect(redisPasswordOf(parsed), service).toBe(vars.REDIS_PASSWORD);
      if (app === 'api') {
        expect(parsed.API_KEYS).toBeTruthy();
        expect(parsed.DASHBOARD_AUTH).toMatch(/^[^:]+:.+$/);
      }
    }
    const redis = (parseYaml(interpolate(composeText, vars), { merge: true }) as Any).services.redis;
    expect(redis.command.join(' ')).toContain('--requirepass "$REDIS_PASSWORD"');
    expect(redis.environment.REDIS_PASSWORD).toBe(vars.REDIS_PASSWORD);
  });
});

describe('infra/redis.conf in a real redis-server', () => {
  it('keeps AOF on, refuses to evict, has a memory limit, and asks for the password it is given', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'classifyd-redis-conf-'));
    // The file as shipped; only where it listens and writes is moved for the test.
    const server = spawn(
      'redis-server',
      [
        join(INFRA, 'redis.conf'),
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--requirepass',
        'pw-test',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    server.stdout.on('data', (d) => {
      output += d;
    });
    const connectErrors: string[] = [];
    const anonymous = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    anonymous.on('error', (error: Error) => connectErrors.push(error.message));
    const client = new Redis({ port, host: '127.0.0.1', password: 'pw-test', lazyConnect: true });
    client.on('error', () => {});
    try {
      await expect
        .poll(() => output.includes('Ready to accept connections') || server.exitCode !== null, {
          timeout: 10_000,
        })
        .toBe(true);
      expect(server.exitCode, `redis-server refused infra/redis.conf:\n${output}`).toBeNull();
      await expect(anonymous.connect()).rejects.toThrow();
      expect(connectErrors.join('\n')).toMatch(/NOAUTH/);
      await client.connect();
      const config = async (key: string) => (await client.config('GET', key))[1];
      expect(await config('appendonly')).toBe('yes');
      expect(await config('maxmemory-policy')).toBe('noeviction');
      expect(Number(await config('maxmemory'))).toBeGreaterThan(0);
      expect(await config('protected-mode')).toBe('no');
    } finally {
      anonymous.disconnect();
      client.disconnect();
      server.kill('SIGTERM');
      if (server.exitCode === null) await once(server, 'exit');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the BullMQ list names KEDA watches, and the API in compose development mode', () => {
  let stack: ServiceStack;
  beforeAll(async () => {
    const api = composeServices({}).find((s) => s.app === 'api');
    // The API with compose's development environment; only Redis, the prefix and where it
    // listens and stores are the test's (startServiceStack sets them).
    const { REDIS_URL: _r, QUEUE_PREFIX: _q, ...composeEnv } = api?.env ?? {};
    stack = await startServiceStack({
      redisUrl: inject('redisUrl'),
      label: 'deploycfg',
      env: { ...composeEnv, NODE_ENV: '', RATE_LIMIT_PER_SECOND: '0' },
      workers: [],
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('starts open on one project, and a parse job waits in <prefix>:parse:wait', async () => {
    const api = stack.apps[0];
    expect(api?.output()).toContain('API_KEYS is not set');
    const client = sdk(stack.baseUrl, 'any-key');
    const job = await client.parsing.create({
      tier: 'fast',
      version: 'latest',
      upload_file: await toFile(Buffer.from('Invoice number 4711, total 320.70 EUR'), 'note.txt'),
    });
    expect(job.status).toBe('PENDING');
    const redis = new Redis(inject('redisUrl'));
    try {
      // With no worker running, the job sits in the list the ScaledObject names.
      expect(await redis.llen(`${stack.prefix}:parse:wait`)).toBe(1);
    } finally {
      await removePrefix(redis, stack.prefix);
      redis.disconnect();
    }
  });
});
