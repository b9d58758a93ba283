import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook as classifyd posts it with `webhook_output_format: 'json'`. */
export interface ReceivedEvent {
  event_id: string;
  event_type: string;
  data: { id: string; status: string };
}

export interface WebhookReceiver {
  url: string;
  /** Every delivery, in the order it arrived. */
  events: ReceivedEvent[];
  /** The headers of each delivery, in the same order. */
  headers: IncomingHttpHeaders[];
  close(): void;
}

/** An endpoint on loopback that records every delivery and answers 200. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const events: ReceivedEvent[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      events.push(JSON.parse(body) as ReceivedEvent);
      headers.push(req.headers);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    events,
    headers,
    close: () => server.close(),
  };
}
