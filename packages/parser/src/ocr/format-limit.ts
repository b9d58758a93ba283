/** "45 s", or "250 ms" for limits under a second. */
export function formatLimit(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
