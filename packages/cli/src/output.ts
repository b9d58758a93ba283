/** The streams the CLI writes to; the entry point passes process.stdout/stderr, tests pass buffers. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Terminal {
  stdout: OutputStream;
  stderr: OutputStream;
}

/** A single counter line on stderr, redrawn in place; silent unless stderr is a terminal. */
export function progressLine(stream: OutputStream, enabled: boolean, verb = 'classified') {
  const active = enabled && stream.isTTY === true;
  let drawn = false;
  return {
    update(finished: number, total: number, failed = 0) {
      if (!active) return;
      stream.write(`\r\x1b[K[${finished}/${total}] ${verb}${failed ? `, ${failed} not completed` : ''}`);
      drawn = true;
    },
    clear() {
      if (active && drawn) stream.write('\r\x1b[K');
    },
  };
}
