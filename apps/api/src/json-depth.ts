import { AppError } from '@classifyd/shared';
import type { NextFunction, Request, Response } from 'express';

/**
 * How deep a JSON body may nest. Nothing classifyd reads goes past a few levels, while a
 * body of thousands of levels parses fine and then overflows the stack wherever it is
 * serialised again (a saved configuration keeps fields it does not know).
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests deeper than `max` arrays and objects; iterative, so any depth is safe to measure. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

export function tooDeepError(loc: string[]): AppError {
  return AppError.validation([
    { loc, msg: `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`, type: 'too_deep' },
  ]);
}

/** Refuses a JSON body that nests deeper than MAX_JSON_DEPTH, before any route reads it. */
export function refuseDeepJson(req: Request, _res: Response, next: NextFunction): void {
  next(nestsDeeperThan(req.body, MAX_JSON_DEPTH) ? tooDeepError(['body']) : undefined);
}
