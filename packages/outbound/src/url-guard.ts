/**
 * A refused or failed outbound request. `permanent` says whether trying again later
 * could help; the message is written for the person who gave the URL.
 */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    if (a === '::1' || a === '::' || a.startsWith('fe80') || a.startsWith('fc') || a.startsWith('fd'))
      return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    return mapped ? isPrivateAddress(mapped[1] as string) : false;
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

/** Refuses non-http(s) URLs and, unless allowed, hosts that resolve to loopback, private, link-local or metadata addresses. */
export async function assertPublicUrl(url: URL, allowPrivate: boolean): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError(`Only http(s) URLs can be fetched, not ${url.protocol}`, true);
  }
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : (
        await lookup(host, { all: true }).catch(() => {
          throw new OutboundError(`The URL's host ${url.hostname} could not be resolved`, false);
        })
      ).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) {
    throw new OutboundError(
      `The URL's host ${url.hostname} is a private or local address, which classifyd does not fetch`,
      true,
    );
  }
}
