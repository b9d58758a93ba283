import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * Download links are `?expires=<unix s>&signature=<hmac>`. The key is made once per
 * deployment and kept in Redis, so every API process signs and checks alike.
 */
export async function loadSigningKey(redis: Redis | Cluster, queuePrefix: string): Promise<Buffer> {
  const key = `${queuePrefix}:s:url-signing-key`;
  await redis.set(key, randomBytes(32).toString('hex'), 'NX');
  const value = await redis.get(key);
  if (!value) throw new Error('could not load the URL signing key');
  return Buffer.from(value, 'hex');
}

export class UrlSigner {
  constructor(private readonly key: Buffer) {}

  private mac(fileId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${fileId}.${expires}`).digest('hex');
  }

  sign(fileId: string, ttlSeconds: number): { expires: number; signature: string } {
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    return { expires, signature: this.mac(fileId, expires) };
  }

  verify(fileId: string, expires: number, signature: string): boolean {
    if (!Number.isInteger(expires) || expires < Date.now() / 1000) return false;
    const expected = Buffer.from(this.mac(fileId, expires));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
