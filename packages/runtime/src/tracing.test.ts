import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTracing, NO_TRACING, tracingEnv, tracingFromEnv } from './tracing.js';

function traced() {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ serviceName: 'classifyd-test', serviceVersion: '9.9.9', exporter });
  const spans = async () => {
    await tracing.flush();
    return exporter.getFinishedSpans();
  };
  return { tracing, spans };
}

describe('tracing', () => {
  it('continues a trace from the context a span hands on, as job data carries it', async () => {
    const { tracing, spans } = traced();
    const request = tracing.start('POST', { kind: 'server' });
    const carried = JSON.parse(JSON.stringify(request.context));
    expect(carried.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await tracing.run(
      'parse',
      { kind: 'consumer', parent: carried, attributes: { 'classifyd.pages': 3 } },
      async (s) => {
        s.set({ 'classifyd.outcome': 'completed' });
      },
    );
    request.rename('POST /api/v2/classify');
    request.end();

    const [parse, post] = await spans();
    expect(post?.name).toBe('POST /api/v2/classify');
    expect(post?.kind).toBe(SpanKind.SERVER);
    expect(parse?.kind).toBe(SpanKind.CONSUMER);
    expect(parse?.spanContext().traceId).toBe(post?.spanContext().traceId);
    expect(parse?.parentSpanContext?.spanId).toBe(post?.spanContext().spanId);
    expect(parse?.attributes).toMatchObject({ 'classifyd.pages': 3, 'classifyd.outcome': 'completed' });
    expect(post?.resource.attributes).toMatchObject({
      'service.name': 'classifyd-test',
      'service.version': '9.9.9',
    });
  });

  it("joins a caller's traceparent, and marks a span that threw as failed, throwing on", async () => {
    const { tracing, spans } = traced();
    const parent = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const failing = tracing.run('classify', { kind: 'consumer', parent }, async () => {
      throw new TypeError('the model answered nothing');
    });
    await expect(failing).rejects.toThrow('the model answered nothing');
    const [span] = await spans();
    expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the model answered nothing' });
    expect(span?.attributes['error.type']).toBe('TypeError');
  });

  it("follows the request's sampling decision: a stage of an unsampled request records nothing", async () => {
    const { tracing, spans } = traced();
    const unsampled = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' };
    const stage = tracing.start('classify', { kind: 'consumer', parent: unsampled });
    // Handed on unsampled, so the next stage and the webhooks make the same decision.
    expect(stage.context?.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
    stage.end();
    expect(await spans()).toEqual([]);
  });

  it('starts a new trace when the parent carried is not a valid traceparent', async () => {
    const { tracing, spans } = traced();
    tracing.start('parse', { kind: 'consumer', parent: { traceparent: 'not-a-trace' } }).end();
    const [span] = await spans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is off, carrying no context, unless an OTLP endpoint is set', async () => {
    expect(tracingFromEnv({}, 'classifyd-api', '0.1.0')).toBe(NO_TRACING);
    const off = tracingFromEnv(
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' },
      'classifyd-api',
      '0.1.0',
    );
    expect(off.enabled).toBe(false);
    expect(NO_TRACING.start('x', { kind: 'server' }).context).toBeUndefined();
    await expect(NO_TRACING.run('x', { kind: 'internal' }, async () => 42)).resolves.toBe(42);
    const on = tracingFromEnv(
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
      'classifyd-api',
      '0.1.0',
    );
    expect(on.enabled).toBe(true);
    await on.shutdown();
  });

  it('refuses an OTLP endpoint that is not an http(s) URL, at boot', () => {
    const schema = z.object(tracingEnv);
    expect(schema.safeParse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }).success).toBe(false);
    expect(schema.safeParse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }).success).toBe(false);
    expect(schema.safeParse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318' }).success).toBe(
      true,
    );
  });
});
