import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from './private-address.js';

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
