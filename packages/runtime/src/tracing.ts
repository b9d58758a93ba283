import { hostname } from 'node:os';
import type { TraceContext } from '@classifyd/shared';
import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';

export type SpanKindName = 'server' | 'client' | 'producer' | 'consumer' | 'internal';

export interface SpanOptions {
  kind: SpanKindName;
  /** The span this one continues; none: it starts a trace. */
  parent?: TraceContext | undefined;
  attributes?: Attributes;
}

/** One unit of work in a trace. Attributes carry ids and counts, never document text or secrets. */
export interface TraceSpan {
  /** This span as a parent for work elsewhere (job data, an outbound request's headers). */
  readonly context: TraceContext | undefined;
  set(attributes: Attributes): void;
  rename(name: string): void;
  fail(error: unknown): void;
  end(): void;
}

export interface Tracing {
  readonly enabled: boolean;
  start(name: string, options: SpanOptions): TraceSpan;
  /** Runs `work` in a span that ends with it; a throw marks the span failed and is thrown on. */
  run<T>(name: string, options: SpanOptions, work: (span: TraceSpan) => Promise<T>): Promise<T>;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

const NO_SPAN: TraceSpan = {
  context: undefined,
  set: () => {},
  rename: () => {},
  fail: () => {},
  end: () => {},
};

async function runIn<T>(span: TraceSpan, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  try {
    return await work(span);
  } catch (error) {
    span.fail(error);
    throw error;
  } finally {
    span.end();
  }
}

/** Tracing switched off: spans cost nothing and carry no context. */
export const NO_TRACING: Tracing = {
  enabled: false,
  start: () => NO_SPAN,
  run: (_name, _options, work) => work(NO_SPAN),
  flush: async () => {},
  shutdown: async () => {},
};

const KINDS: Record<SpanKindName, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

const propagator = new W3CTraceContextPropagator();

function parentContext(parent: TraceContext | undefined): Context {
  if (!parent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, parent, defaultTextMapGetter);
}

class OtelSpan implements TraceSpan {
  constructor(private readonly span: Span) {}

  // Made when asked for: most stage spans hand nothing on.
  get context(): TraceContext | undefined {
    const carrier: Partial<TraceContext> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, this.span), carrier, defaultTextMapSetter);
    return carrier.traceparent ? (carrier as TraceContext) : undefined;
  }

  set(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  rename(name: string): void {
    this.span.updateName(name);
  }

  fail(error: unknown): void {
    // The error's class and our own message; no stack, which may quote input.
    const message = error instanceof Error ? error.message : String(error);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    this.span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
  }

  end(): void {
    this.span.end();
  }
}

export interface TracingSettings {
  /** `service.name` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names it. */
  serviceName: string;
  serviceVersion: string;
  /** Where spans go; the OTLP/HTTP exporter when tracing is configured by the environment. */
  exporter: SpanExporter;
}

/**
 * A tracer provider of this process's own, handed to whoever makes spans: nothing is
 * registered globally, and parents are passed explicitly (job data, headers), so no
 * context manager is needed either.
 */
export function createTracing(settings: TracingSettings): Tracing {
  const resource = resourceFromAttributes({
    'service.name': settings.serviceName,
    'service.version': settings.serviceVersion,
    'service.instance.id': `${hostname()}:${process.pid}`,
  }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(settings.exporter)],
  });
  const tracer = provider.getTracer('classifyd', settings.serviceVersion);
  const start = (name: string, options: SpanOptions): TraceSpan =>
    new OtelSpan(
      tracer.startSpan(
        name,
        { kind: KINDS[options.kind], attributes: options.attributes ?? {} },
        parentContext(options.parent),
      ),
    );
  return {
    enabled: true,
    start,
    run: (name, options, work) => runIn(start(name, options), work),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** The OpenTelemetry settings every app reads (the exporter reads the rest of OTEL_EXPORTER_OTLP_*). */
export const tracingEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional(),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
};

type TracingEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_SDK_DISABLED?: 'true' | 'false' | undefined;
};

/** Traces go over OTLP/HTTP when an endpoint is set, and nowhere (at no cost) when not. */
export function tracingFromEnv(env: TracingEnv, serviceName: string, serviceVersion: string): Tracing {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || env.OTEL_SDK_DISABLED === 'true') return NO_TRACING;
  return createTracing({ serviceName, serviceVersion, exporter: new OTLPTraceExporter() });
}
