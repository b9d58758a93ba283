import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** tsx as a Node loader, resolved from here (it is a root devDependency of the workspace). */
const TSX_LOADER = import.meta.resolve('tsx');

export interface BenchChild {
  name: string;
  child: ChildProcess;
  output: () => string;
  /** The next IPC message of this `type`; rejects if the child exits first or `timeoutMs` passes. */
  message<T>(type: string, timeoutMs?: number): Promise<T>;
  send(message: ChildMessage): void;
  stop(): Promise<void>;
}

export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * Runs a bench/src/children/*.ts module in its own Node process (through tsx) with an IPC
 * channel: the child reports with process.send({ type, ... }) and is ended by its pid.
 */
export function startChild(name: string, env: Record<string, string> = {}): BenchChild {
  const file = fileURLToPath(new URL(`../children/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', TSX_LOADER, file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const inbox: ChildMessage[] = [];
  const waiting: (() => void)[] = [];
  child.on('message', (msg) => {
    inbox.push(msg as ChildMessage);
    for (const wake of waiting.splice(0)) wake();
  });
  child.on('exit', () => {
    for (const wake of waiting.splice(0)) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    name,
    child,
    output: () => log,
    async message<T>(type: string, timeoutMs = 120_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = inbox.findIndex((m) => m.type === type || m.type === 'error');
        if (index >= 0) {
          const [msg] = inbox.splice(index, 1) as [ChildMessage];
          if (msg.type === 'error') throw new Error(`${name} failed: ${String(msg.message)}\n${log}`);
          return msg as T;
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before "${type}":\n${log}`);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${name} sent no "${type}" within ${timeoutMs} ms:\n${log}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    send(message) {
      child.send(message);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: report to the parent. */
export function report(message: ChildMessage): void {
  process.send?.(message);
}

/** In a child: run main, report its failure as a message the parent can show, then exit. */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${message}\n`);
    report({ type: 'error', message });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  });
}
