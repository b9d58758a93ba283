import { type ServiceStack, startServiceStack, startTcpProxy, type TcpProxy } from '@classifyd/testkit';
import { toFile } from '@llamaindex/llama-cloud';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_KEYS, POLL, sdk } from './clients.js';
import { INVOICE_TEXT, RULES } from './documents.js';

describe('when Redis goes away', () => {
  let proxy: TcpProxy;
  let stack: ServiceStack;

  beforeAll(async () => {
    proxy = await startTcpProxy(inject('redisUrl'));
    stack = await startServiceStack({ redisUrl: proxy.url, label: 'outage', env: { API_KEYS } });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await stack?.stop();
    await proxy?.close();
  });

  it('the API answers 503 quickly instead of hanging, and recovers when Redis is back', async () => {
    const a = sdk(stack.baseUrl, 'key-a');
    const file = await a.files.create({
      file: await toFile(Buffer.from(INVOICE_TEXT), 'before.txt'),
      purpose: 'classify',
    });
    await proxy.cut();
    const started = Date.now();
    const during = await fetch(`${stack.baseUrl}/api/v2/classify`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-a', 'content-type': 'application/json' },
      body: JSON.stringify({ file_input: file.id, configuration: { rules: RULES } }),
    });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    expect(((await during.json()) as { detail: string }).detail).toMatch(/unavailable/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await fetch(`${stack.baseUrl}/ready`)).status).toBe(503);
    const board = await fetch(`${stack.baseUrl}/admin/queues/api/queues`);
    expect(board.status).toBe(503);
    expect(JSON.stringify(await board.json())).not.toMatch(/enableOfflineQueue|Stream isn't writeable/);
    expect((await fetch(`${stack.baseUrl}/health`)).status).toBe(200);

    await proxy.restore();
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = (await fetch(`${stack.baseUrl}/ready`)).ok;
    }
    expect(ready).toBe(true);
    expect((await fetch(`${stack.baseUrl}/admin/queues/api/queues`)).status).toBe(200);
    // The workers reconnect too: a job submitted now completes.
    const done = await sdk(stack.baseUrl, 'key-a', 2).classify.run(
      { file_input: file.id, configuration: { rules: RULES } },
      POLL,
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.result?.type).toBe('invoice');
  });
});
