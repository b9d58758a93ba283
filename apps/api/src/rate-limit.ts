import { AppError } from '@classifyd/shared';
import type { NextFunction, Request, Response } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { principalOf } from './auth.js';

// One counter per project and second; the key outlives its second briefly, then expires.
// The key is declared (KEYS[1]), never built in Lua: Redis Cluster routes the script by it,
// and under the prefix's hash tag it lives in the deployment's slot.
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
return n
`;

/**
 * Limits the requests that create work (jobs, uploads) per project and second, the way
 * LlamaCloud does; over the limit the answer is 429 with Retry-After, which the official SDK
 * honours by waiting and retrying. Reads and cancels are not limited. `perSecond` 0 turns it off.
 */
export function createWorkLimiter(redis: Redis | Cluster, queuePrefix: string, perSecond: number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (perSecond === 0 || req.method !== 'POST' || req.path.endsWith('/cancel')) return next();
    const projectId = principalOf(req).projectId;
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const count = Number(await redis.eval(COUNT, 1, `${queuePrefix}:s:rl:${projectId}:${second}`));
    res.set('x-ratelimit-limit', String(perSecond));
    res.set('x-ratelimit-remaining', String(Math.max(0, perSecond - count)));
    if (count > perSecond) {
      throw new AppError(
        'rate_limited',
        `More than ${perSecond} requests per second for this project; retry shortly`,
        {
          retryAfterSeconds: 1,
        },
      );
    }
    next();
  };
}
