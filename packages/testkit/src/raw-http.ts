import { connect } from 'node:net';

export interface RawSend {
  port: number;
  /** The bytes as they go on the wire: request line, headers and whatever body. */
  payload: string;
  /** `end`: close our side after the payload; `reset`: a TCP reset 100 ms after it; `wait`: leave it to the server. */
  close?: 'end' | 'reset' | 'wait';
}

/**
 * Sends bytes no HTTP client would send (a body cut short, a garbled request line) on a
 * fresh loopback connection and resolves with everything that came back, once the
 * connection closes; '' when the server answered nothing.
 */
export function sendRaw({ port, payload, close = 'end' }: RawSend): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.once('connect', () => {
      socket.write(payload);
      if (close === 'reset') setTimeout(() => socket.resetAndDestroy(), 100);
      else if (close === 'end') socket.end();
    });
  });
}
