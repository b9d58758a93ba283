import { EventEmitter } from 'node:events';
import type { Job, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { STAGE_CANCELLED, StageMetrics } from './stage-metrics.js';

const job = (over: Partial<Job> = {}) =>
  ({
    timestamp: 1_000,
    processedOn: 3_000,
    finishedOn: 3_500,
    attemptsMade: 1,
    attemptsStarted: 1,
    opts: { attempts: 2 },
    ...over,
  }) as Job;

function error(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('stage metrics', () => {
  it('counts outcomes (cancelled apart from completed), failure classes, and times queue and stage', async () => {
    const metrics = new StageMetrics('test');
    const worker = new EventEmitter();
    metrics.observe(worker as unknown as Worker, 'parse');
    worker.emit('completed', job(), { pages: 1 });
    worker.emit('completed', job(), STAGE_CANCELLED);
    worker.emit('failed', job({ attemptsMade: 1 }), error('Error', 'ECONNRESET'));
    worker.emit('failed', job({ attemptsMade: 2 }), error('Error', 'socket hang up'));
    worker.emit('failed', job(), error('UnrecoverableError', 'The file is empty'));
    worker.emit('failed', job(), error('UnrecoverableError', 'job stalled more than allowable limit'));
    const text = await metrics.registry.metrics();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('classifyd_stage_jobs_total{stage="parse",outcome="completed"}')).toBe(1);
    expect(value('classifyd_stage_jobs_total{stage="parse",outcome="cancelled"}')).toBe(1);
    expect(value('classifyd_stage_jobs_total{stage="parse",outcome="retried"}')).toBe(1);
    expect(value('classifyd_stage_jobs_total{stage="parse",outcome="failed"}')).toBe(3);
    expect(value('classifyd_stage_failures_total{stage="parse",reason="attempts_spent"}')).toBe(1);
    expect(value('classifyd_stage_failures_total{stage="parse",reason="permanent"}')).toBe(1);
    expect(value('classifyd_stage_failures_total{stage="parse",reason="stalled"}')).toBe(1);
    // 2 s in the queue, 0.5 s in the stage, for each of the six.
    expect(value('classifyd_stage_queue_seconds_sum{stage="parse"}')).toBe(12);
    expect(value('classifyd_stage_seconds_sum{stage="parse",outcome="failed"}')).toBe(1.5);
  });

  it('counts model tokens by kind, and rate limits and errors by classifier', async () => {
    const metrics = new StageMetrics('test');
    metrics.classified('anthropic', 120, 0.9, {
      input_tokens: 100,
      output_tokens: 20,
      cache_read_input_tokens: 50,
      model: 'x',
    });
    metrics.rateLimited('anthropic');
    metrics.classifierFailed('anthropic');
    const text = await metrics.registry.metrics();
    expect(text).toContain('classifyd_model_tokens_total{kind="input"} 100');
    expect(text).toContain('classifyd_model_tokens_total{kind="output"} 20');
    expect(text).toContain('classifyd_model_tokens_total{kind="cache_read"} 50');
    expect(text).toContain('classifyd_classifier_rate_limited_total{classifier="anthropic"} 1');
    expect(text).toContain('classifyd_classifier_errors_total{classifier="anthropic"} 1');
    expect(text).toContain('classifyd_classify_confidence_count{classifier="anthropic"} 1');
  });
});
