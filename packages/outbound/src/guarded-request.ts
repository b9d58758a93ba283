import { type LookupAddress, lookup } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './private-address.js';
import { OutboundError } from './url-guard.js';

/**
 * A DNS lookup for sockets that refuses private addresses at connect time: checking the name
 * before the request is not enough, since a second resolution (DNS rebinding) may answer
 * differently. IP literals never reach a lookup; assertPublicUrl covers those.
 */
export function publicOnlyLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) {
        const message = `The URL's host ${hostname} is a private or local address, which classifyd does not fetch`;
        return callback(Object.assign(new OutboundError(message, true), { code: 'EPRIVATE' }), '', 0);
      }
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

export interface GuardedRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  allowPrivate: boolean;
  signal: AbortSignal;
}

/** One HTTP(S) exchange without following redirects; resolves once the headers arrive. */
export function guardedRequest(url: URL, options: GuardedRequest): Promise<IncomingMessage> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: options.method,
        headers: options.headers,
        signal: options.signal,
        lookup: publicOnlyLookup(options.allowPrivate),
        // A fresh connection per request: a pooled socket would skip the lookup check.
        agent: false,
      },
      resolve,
    );
    request.on('error', (error) => reject(error instanceof OutboundError ? error : unwrapPrivate(error)));
    request.end(options.body);
  });
}

function unwrapPrivate(error: Error & { code?: string; cause?: unknown }): Error {
  if (error.cause instanceof OutboundError) return error.cause;
  return error;
}
