/** "45 s", "250 ms" for limits under a second, "10 min" for whole minutes from two up. */
export function formatLimit(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
