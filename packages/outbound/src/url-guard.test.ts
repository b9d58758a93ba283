import { describe, expect, it } from 'vitest';
import { assertPublicUrl, isPrivateAddress, OutboundError } from './url-guard.js';

describe('private address detection', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '172.15.0.1',
    '172.32.0.1',
    '192.169.0.1',
    '100.128.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('assertPublicUrl', () => {
  it('refuses loopback and metadata hosts, by name or by address', async () => {
    for (const url of [
      'http://127.0.0.1/x',
      'http://localhost:8080/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data',
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
