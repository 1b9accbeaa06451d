export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1),
  };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

/** A fixed-width table of latency summaries. */
export function latencyTable(rows: Array<[string, Summary]>): string {
  const head = ['', 'n', 'p50', 'p95', 'p99', 'mean'];
  const body = rows.map(([name, s]) => [name, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.mean)]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}
