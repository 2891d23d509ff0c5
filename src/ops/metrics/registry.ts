/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in
 * the text exposition format (version 0.0.4). Enough for one process; no dependency.
 */
export type Labels = Record<string, string>;

type Kind = 'counter' | 'gauge' | 'histogram';

function labelText(labels: Labels, extra: Labels = {}): string {
  const all = { ...labels, ...extra };
  const parts = Object.entries(all).map(
    ([key, value]) =>
      `${key}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`,
  );
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function numberText(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: Kind,
  ) {}

  abstract samples(): string[];

  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} ${this.kind}`,
      ...this.samples(),
    ].join('\n');
  }
}

/** A value per label set; counters only go up, gauges are set. */
export class ValueMetric extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  inc(labels: Labels = {}, by = 1): void {
    const entry = this.values.get(keyOf(labels));
    if (entry) entry.value += by;
    else this.values.set(keyOf(labels), { labels, value: by });
  }

  set(labels: Labels, value: number): void {
    this.values.set(keyOf(labels), { labels, value });
  }

  /** Replaces every label set at once (for values read from the journal at each scrape). */
  replace(entries: { labels: Labels; value: number }[]): void {
    this.values.clear();
    for (const entry of entries) this.inc(entry.labels, entry.value);
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  samples(): string[] {
    return [...this.values.values()].map(
      ({ labels, value }) => `${this.name}${labelText(labels)} ${numberText(value)}`,
    );
  }
}

export class Histogram extends Metric {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  constructor(
    name: string,
    help: string,
    readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
  }

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    this.buckets.forEach((bound, index) => {
      if (value <= bound) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
  }

  samples(): string[] {
    return [...this.series.values()].flatMap(({ labels, counts, sum, count }) => [
      ...this.buckets.map(
        (bound, index) =>
          `${this.name}_bucket${labelText(labels, { le: numberText(bound) })} ${counts[index] ?? 0}`,
      ),
      `${this.name}_bucket${labelText(labels, { le: '+Inf' })} ${count}`,
      `${this.name}_sum${labelText(labels)} ${numberText(sum)}`,
      `${this.name}_count${labelText(labels)} ${count}`,
    ]);
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): ValueMetric {
    return this.add(new ValueMetric(name, help, 'counter'));
  }

  gauge(name: string, help: string): ValueMetric {
    return this.add(new ValueMetric(name, help, 'gauge'));
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  private add<T extends Metric>(metric: T): T {
    this.metrics.push(metric);
    return metric;
  }

  render(): string {
    return this.metrics.map((metric) => metric.render()).join('\n') + '\n';
  }
}
