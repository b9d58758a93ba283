// Stage 2 of the raw BullMQ baseline: the same embedded classifier classifyd's classify
// worker runs, on the pages its parse child returned (a BullMQ flow: parse is the child job).
import { createEmbeddedClassifier } from '@classifyd/classifier';
import type { Job } from 'bullmq';
import { runChild } from '../lib/child.js';
import {
  RAW_CLASSIFY_QUEUE,
  type RawClassifyData,
  type RawClassifyResult,
  type RawPage,
} from '../lib/raw-flow.js';
import { runRawWorker } from '../lib/raw-worker.js';

async function main(): Promise<void> {
  const classifier = await createEmbeddedClassifier();
  await runRawWorker<RawClassifyData, RawClassifyResult>(
    RAW_CLASSIFY_QUEUE,
    async (job: Job<RawClassifyData>) => {
      const pages = Object.values(await job.getChildrenValues<RawPage[]>())[0];
      if (!pages) throw new Error(`classify job ${job.id} has no parse result`);
      return classifier.classify({ pages, rules: job.data.rules, lang: 'en' });
    },
  );
}

runChild(main);
