import { spawn, spawnSync } from 'node:child_process';

export const PDFTOTEXT_INSTALL =
  'pdftotext not found: install poppler-utils (Debian/Ubuntu: apt-get update && apt-get install -y poppler-utils)';

/** "pdftotext version 22.12.0", or null when it is not on the PATH. */
export function pdftotextVersion(): string | null {
  const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  return /pdftotext version \S+/.exec(`${probe.stderr}${probe.stdout}`)?.[0] ?? 'pdftotext (unknown version)';
}

/** One pdftotext process for one file, timed from spawn to exit; pages are its form feeds. */
export function pdftotextFile(path: string): Promise<{ seconds: number; pages: number; ok: boolean }> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn('pdftotext', ['-q', '-enc', 'UTF-8', path, '-'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let pages = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0c) pages++;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ seconds: (performance.now() - began) / 1000, pages, ok: code === 0 }),
    );
  });
}

/** All files in one shell loop (one process start per file, none of Node's spawn cost), output discarded. */
export function pdftotextLoop(paths: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(
      'sh',
      ['-c', 'for f in "$@"; do pdftotext -q -enc UTF-8 "$f" - ; done > /dev/null', 'sh', ...paths],
      { stdio: 'ignore' },
    );
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve((performance.now() - began) / 1000)
        : reject(new Error(`pdftotext loop exited ${code}`)),
    );
  });
}
