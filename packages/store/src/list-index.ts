import { AppError } from '@classifyd/shared';
import type { Cluster, Redis } from 'ioredis';
import { idFromMember, invertedTime, MAX_MS } from './keys.js';

export interface TimeBounds {
  createdOnOrAfterMs?: number | undefined;
  createdOnOrBeforeMs?: number | undefined;
}

export interface PageRequest extends TimeBounds {
  pageSize: number;
  pageToken?: string | undefined;
}

export interface IdPage {
  ids: string[];
  nextPageToken: string | null;
  totalSize: number;
}

interface Cursor {
  /** Fingerprint of the query, so a token cannot be replayed against another list. */
  q: string;
  /** Last member served. */
  m: string;
}

export function encodeCursor(query: string, member: string): string {
  return Buffer.from(JSON.stringify({ q: query, m: member } satisfies Cursor)).toString('base64url');
}

/** Tokens this API issues are short base64url; anything else is refused before it is decoded. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,2048}$/;

/**
 * The last member a page token says was served. The token comes from the client, so
 * nothing in it is trusted: a forged, truncated or foreign token is a 400, never a crash.
 */
export function decodeCursor(query: string, token: string): string {
  const forged = () => new AppError('bad_request', 'page_token is not a token this API issued');
  if (!TOKEN_SHAPE.test(token)) throw forged();
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw forged();
  }
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) throw forged();
  const { q, m } = cursor as Partial<Record<keyof Cursor, unknown>>;
  if (typeof q !== 'string' || typeof m !== 'string' || m === '') throw forged();
  if (q !== query) {
    throw new AppError('bad_request', 'page_token belongs to a different query; start again without it');
  }
  return m;
}

/**
 * Lex bounds for a creation-time window; members start with the inverted time. Times are
 * clamped to what a member can hold (1970 to 2286), since a date before 1970 or after that
 * would give a key of another length and invert the window.
 */
export function lexBounds(bounds: TimeBounds): { min: string; max: string } {
  const key = (ms: number) => invertedTime(Math.min(Math.max(ms, 0), MAX_MS));
  const min = bounds.createdOnOrBeforeMs === undefined ? '-' : `[${key(bounds.createdOnOrBeforeMs)}`;
  // ';' sorts right after ':', so this keeps every member of the boundary millisecond.
  const max = bounds.createdOnOrAfterMs === undefined ? '+' : `(${key(bounds.createdOnOrAfterMs)};`;
  return { min, max };
}

/**
 * One page of ids from a lexicographic index, newest first, with an exact cursor and
 * the total for the window: two O(log N + page) commands, no scan.
 */
export async function pageFromIndex(
  redis: Redis | Cluster,
  indexKey: string,
  queryFingerprint: string,
  request: PageRequest,
): Promise<IdPage> {
  const { min, max } = lexBounds(request);
  const start = request.pageToken ? `(${decodeCursor(queryFingerprint, request.pageToken)}` : min;
  const [members, total] = await Promise.all([
    redis.zrangebylex(indexKey, start, max, 'LIMIT', 0, request.pageSize + 1),
    redis.zlexcount(indexKey, min, max),
  ]);
  const hasMore = members.length > request.pageSize;
  const pageMembers = members.slice(0, request.pageSize);
  const last = pageMembers[pageMembers.length - 1];
  return {
    ids: pageMembers.map(idFromMember),
    nextPageToken: hasMore && last !== undefined ? encodeCursor(queryFingerprint, last) : null,
    totalSize: total,
  };
}

/** Pages over an explicit, small set of members (an `ids` filter), with the same cursor rules. */
export function pageFromMembers(members: string[], queryFingerprint: string, request: PageRequest): IdPage {
  const { min, max } = lexBounds(request);
  const inWindow = members
    .filter((m) => (min === '-' || m >= min.slice(1)) && (max === '+' || m < max.slice(1)))
    .sort();
  const after = request.pageToken ? decodeCursor(queryFingerprint, request.pageToken) : undefined;
  const remaining = after === undefined ? inWindow : inWindow.filter((m) => m > after);
  const pageMembers = remaining.slice(0, request.pageSize);
  const last = pageMembers[pageMembers.length - 1];
  return {
    ids: pageMembers.map(idFromMember),
    nextPageToken:
      remaining.length > request.pageSize && last !== undefined ? encodeCursor(queryFingerprint, last) : null,
    totalSize: inWindow.length,
  };
}
