import type { QueueName } from '@classifyd/pipeline';
import type { NextFunction, Request, Response } from 'express';

/**
 * Queues whose BullMQ jobs mirror a job, example or parse the API reports. The store, not
 * BullMQ, holds their status: a board retry of a FAILED job would run a stage that finds it
 * terminal and reports "completed" while the API still says FAILED, and removing a waiting
 * job would leave its job PENDING for ever. On these the board may look, pause, resume,
 * promote and clear finished entries, and nothing else.
 */
const MIRRORED: ReadonlySet<string> = new Set<QueueName>(['parse', 'classify', 'example']);

export const isMirrored = (queueName: string) => MIRRORED.has(queueName);

/** Board actions that rewrite or drop what a mirrored queue holds, by method and path tail. */
const DIVERGING: readonly [method: string, tail: RegExp][] = [
  ['POST', /^\/add$/],
  ['PUT', /^\/retry\/[^/]+$/],
  ['PUT', /^\/[^/]+\/retry$/],
  ['PUT', /^\/[^/]+\/clean$/],
  ['PATCH', /^\/[^/]+\/update-data$/],
  ['PUT', /^\/empty$/],
  ['PUT', /^\/obliterate$/],
  // Clearing finished entries is fine (the store keeps the outcome); clearing waiting or delayed ones strands jobs.
  ['PUT', /^\/clean\/(?!completed$|failed$)[^/]+$/],
];

/** Mounted before Bull Board's router, on its base path. */
export function refuseDivergingBoardActions(req: Request, res: Response, next: NextFunction): void {
  const match = /^\/api\/queues\/([^/]+)(\/.*)$/.exec(req.path);
  const [queue, tail] = match ? [decodeURIComponent(match[1] as string), match[2] as string] : ['', ''];
  if (
    MIRRORED.has(queue) &&
    DIVERGING.some(([method, pattern]) => method === req.method && pattern.test(tail))
  ) {
    res.status(403).json({
      detail: `The ${queue} queue mirrors jobs the API reports; retry, add, edit or remove them through the API (for a failed job, create it again), not the board`,
    });
    return;
  }
  next();
}
