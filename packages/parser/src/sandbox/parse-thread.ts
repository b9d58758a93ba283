import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { getResolvedPDFJS } from 'unpdf';
import { type ParseEngine, readDocument } from '../read-document.js';
import { RecognizerProxy } from './recognizer-proxy.js';
import { type FromThread, type ThreadSettings, type ToThread, toWire } from './thread-protocol.js';

/**
 * The entry of a document thread: it reads one document at a time, as the owning thread
 * asks, under that thread's heap limit and deadline (see document-thread.ts).
 */

if (!parentPort) throw new Error('parse-thread.js runs only as a worker thread');
const port = parentPort;
const settings = workerData as ThreadSettings;
const recognizer = new RecognizerProxy(port);
const engine: ParseEngine = { ...settings, recognizer };

/** The V8 heap plus the buffers outside it that this thread holds now. */
function heapBytes(): number {
  const { used_heap_size, external_memory } = getHeapStatistics();
  return used_heap_size + (external_memory ?? 0);
}

async function parse(message: Extract<ToThread, { type: 'parse' }>): Promise<void> {
  let reply: FromThread;
  try {
    const onPage = (done: number, total: number) => port.postMessage({ type: 'progress', done, total });
    const document = await readDocument(message.bytes, { ...message.options, onPage }, engine);
    reply = { type: 'parsed', document, heapBytes: heapBytes() };
  } catch (error) {
    reply = { type: 'failed', error: toWire(error), heapBytes: heapBytes() };
  }
  port.postMessage(reply);
}

port.on('message', (message: ToThread) => {
  if (message.type === 'parse') void parse(message);
  else recognizer.settle(message);
});

// Loaded now, while the thread waits for its first document, rather than during it.
getResolvedPDFJS().catch(() => undefined);
