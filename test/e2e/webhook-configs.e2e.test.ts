import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServiceStack, startServiceStack } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, PROJECT_A, sdk, statusError } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

interface Delivery {
  path: string;
  event: string;
  jobId: string;
  signature: string;
  header: string | undefined;
  body: string;
}

describe('saved webhook configurations through the official SDK', () => {
  let stack: ServiceStack;
  let receiver: Server;
  let base: string;
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    stack = await startServiceStack({ redisUrl: inject('redisUrl'), label: 'whc', env: { API_KEYS } });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const event = JSON.parse(body);
        deliveries.push({
          path: req.url ?? '',
          event: event.event_type,
          jobId: event.data.id,
          signature: String(req.headers['lc-signature']),
          header: req.headers['x-team'] as string | undefined,
          body,
        });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    receiver?.close();
    await stack?.stop();
  });

  it('creates, lists, reads, updates and deletes, within the project, never showing the secret', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const b = sdk(stack.baseUrl, 'key-b');
    const made = await a.webhookConfigs.create({
      webhook_url: `${base}/first`,
      webhook_signing_secret: 'whsec-saved',
      webhook_events: ['classify.success'],
      webhook_output_format: 'json',
    });
    expect(made).toMatchObject({
      has_secret: true,
      tenant_id: PROJECT_A,
      tenant_type: 'project',
      webhook_url: `${base}/first`,
      webhook_events: ['classify.success'],
    });
    expect(JSON.stringify(made)).not.toContain('whsec-saved');
    expect((await a.webhookConfigs.list()).map((c) => c.id)).toContain(made.id);
    expect(await a.webhookConfigs.retrieve(made.id)).toEqual(made);

    // Another project sees none of it.
    expect(await b.webhookConfigs.list()).toEqual([]);
    expect((await statusError(b.webhookConfigs.retrieve(made.id))).status).toBe(404);
    expect((await statusError(b.webhookConfigs.delete(made.id))).status).toBe(404);

    const updated = await a.webhookConfigs.update(made.id, { webhook_url: `${base}/second` });
    expect(updated).toMatchObject({ id: made.id, webhook_url: `${base}/second`, has_secret: true });
    expect((await statusError(a.webhookConfigs.update(made.id, { webhook_url: 'ftp://x' }))).status).toBe(
      422,
    );

    await a.webhookConfigs.delete(made.id);
    expect((await statusError(a.webhookConfigs.retrieve(made.id))).status).toBe(404);
    expect((await a.webhookConfigs.list()).map((c) => c.id)).not.toContain(made.id);
  });

  it('notifies the saved configurations a classify job names, beside its inline ones, signed', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const saved = await a.webhookConfigs.create({
      webhook_url: `${base}/saved`,
      webhook_signing_secret: 'whsec-saved',
      webhook_headers: { 'x-team': 'billing' },
      webhook_output_format: 'json',
    });
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
      purpose: 'classify',
    });
    const done = await a.classify.run(
      {
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configuration_ids: [saved.id],
        webhook_configurations: [
          {
            webhook_url: `${base}/inline`,
            webhook_events: ['classify.success'],
            webhook_output_format: 'json',
          },
        ],
      },
      POLL,
    );
    expect(done.status).toBe('COMPLETED');
    const mine = () => deliveries.filter((d) => d.jobId === done.id);
    for (let i = 0; i < 100 && mine().length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    const toSaved = mine().filter((d) => d.path === '/saved');
    expect(toSaved.map((d) => d.event).sort()).toEqual([
      'classify.pending',
      'classify.running',
      'classify.success',
    ]);
    for (const d of toSaved) {
      expect(d.signature).toBe(`sha256=${createHmac('sha256', 'whsec-saved').update(d.body).digest('hex')}`);
      expect(d.header).toBe('billing');
    }
    expect(
      mine()
        .filter((d) => d.path === '/inline')
        .map((d) => d.event),
    ).toEqual(['classify.success']);
  });

  it('answers 404 for a saved configuration the project does not have', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const b = sdk(stack.baseUrl, 'key-b');
    const theirs = await b.webhookConfigs.create({ webhook_url: `${base}/b` });
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'inv.txt'),
      purpose: 'classify',
    });
    const refused = await statusError(
      a.classify.create({
        file_input: file.id,
        configuration: { rules: RULES },
        webhook_configuration_ids: [theirs.id],
      }),
    );
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).toContain(theirs.id);
  });
});
