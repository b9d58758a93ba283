import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Requests sent and statuses received, per route label; 0 counts requests that got no answer. */
export type Tally = Record<string, Record<string, number>>;

export class StatusTally {
  readonly counts: Tally = {};

  count(label: string, status: number): void {
    const route = this.counts[label] ?? {};
    this.counts[label] = route;
    const key = status === 0 ? 'none' : String(status);
    route[key] = (route[key] ?? 0) + 1;
  }

  /** One JSON file per test file; the global setup adds them up at the end. */
  save(dir: string, name: string): void {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(this.counts));
  }
}

export function loadTallies(dir: string): Tally {
  const total: Tally = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const tally = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tally;
    for (const [label, statuses] of Object.entries(tally)) {
      const route = total[label] ?? {};
      total[label] = route;
      for (const [status, n] of Object.entries(statuses)) route[status] = (route[status] ?? 0) + n;
    }
  }
  return total;
}

const sum = (statuses: Record<string, number>) => Object.values(statuses).reduce((a, b) => a + b, 0);

const byStatus = (a: string, b: string) => (a === 'none' ? 1 : b === 'none' ? -1 : Number(a) - Number(b));

/** `pnpm test`: one line per route. */
export function summaryLines(tally: Tally): string[] {
  return Object.keys(tally)
    .sort()
    .map((label) => {
      const statuses = tally[label] ?? {};
      const parts = Object.keys(statuses)
        .sort(byStatus)
        .map((s) => `${s}:${statuses[s]}`);
      return `fuzz ${label}: ${sum(statuses)} requests (${parts.join(' ')})`;
    });
}

/** `pnpm fuzz`: a Markdown table, a column per status seen, and the totals. */
export function summaryTable(tally: Tally): string {
  const labels = Object.keys(tally).sort();
  const statuses = [...new Set(labels.flatMap((l) => Object.keys(tally[l] ?? {})))].sort(byStatus);
  const rows = labels.map((label) => {
    const counts = tally[label] ?? {};
    return [label, String(sum(counts)), ...statuses.map((s) => (counts[s] ? String(counts[s]) : ''))];
  });
  const totals = statuses.map((s) => String(labels.reduce((n, l) => n + (tally[l]?.[s] ?? 0), 0)));
  rows.push(['total', String(labels.reduce((n, l) => n + sum(tally[l] ?? {}), 0)), ...totals]);
  const header = ['route', 'requests', ...statuses];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 1 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
