import { describe, expect, it } from 'vitest';
import { assertPublicUrl, OutboundError } from './url-guard.js';

describe('assertPublicUrl', () => {
  it('refuses loopback and metadata hosts, by name or by address', async () => {
    for (const url of [
      'http://127.0.0.1/x',
      'http://localhost:8080/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data',
      // Spellings that the URL parser turns into an IPv6 literal or a plain IPv4 address.
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data',
      'http://0x7f.1/',
      'http://2130706433/',
    ]) {
      const error = await assertPublicUrl(new URL(url), false).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundError);
      expect((error as OutboundError).permanent).toBe(true);
      expect((error as Error).message).toMatch(/private or local/);
    }
  });

  it('refuses other schemes even when private addresses are allowed', async () => {
    const error = await assertPublicUrl(new URL('file:///etc/passwd'), true).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Only http\(s\)/);
  });

  it('lets loopback through when ALLOW_PRIVATE_URLS is on', async () => {
    await expect(assertPublicUrl(new URL('http://127.0.0.1:9/'), true)).resolves.toBeUndefined();
  });
});
