/** Inline SVG charts: no script, no library, drawn from plain numbers. Pure functions. */

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

const WIDTH = 900;
const HEIGHT = 300;
const M = { top: 20, right: 20, bottom: 50, left: 55 };
const PLOT_W = WIDTH - M.left - M.right;
const PLOT_H = HEIGHT - M.top - M.bottom;

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

const LEGEND_TOP = M.top + PLOT_H + 30;
const LEGEND_PER_ROW = 6;

/** The SVG element; it grows downwards by one line per row of the legend. */
function frame(id: string, title: string, body: string[], legendItems: number): string {
  const height = Math.max(HEIGHT, LEGEND_TOP + Math.ceil(legendItems / LEGEND_PER_ROW) * 16);
  return [
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function yAxis(max: number, format: (v: number) => string): string[] {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = M.top + PLOT_H - f * PLOT_H;
    return `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${escapeXml(format(f * max))}</text>`;
  });
}

function xLabels(days: string[]): string[] {
  const every = Math.max(1, Math.ceil(days.length / 12));
  const step = PLOT_W / Math.max(1, days.length);
  return days.flatMap((day, i) =>
    i % every === 0
      ? [
          `<text x="${M.left + step * (i + 0.5)}" y="${M.top + PLOT_H + 16}" text-anchor="middle" font-size="11">${day.slice(5)}</text>`,
        ]
      : [],
  );
}

function legend(series: { name: string; color: string }[]): string[] {
  return series.map((s, i) => {
    const x = M.left + (i % LEGEND_PER_ROW) * 140;
    const y = LEGEND_TOP + Math.floor(i / LEGEND_PER_ROW) * 16;
    return `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${y}" font-size="11">${escapeXml(s.name)}</text>`;
  });
}

/** Bars per day, one colour per series stacked on each other. */
export function stackedBars(id: string, title: string, days: string[], series: Series[]): string {
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const step = PLOT_W / Math.max(1, days.length);
  const bars = days.flatMap((_, i) => {
    let base = M.top + PLOT_H;
    return series.flatMap((s) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return [];
      const h = (value / max) * PLOT_H;
      base -= h;
      return [
        `<rect class="mark" x="${(M.left + step * i + step * 0.1).toFixed(1)}" y="${base.toFixed(1)}" width="${(step * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${days[i]} ${s.name}: ${value}`)}</title></rect>`,
      ];
    });
  });
  return frame(
    id,
    title,
    [...yAxis(max, (v) => String(Math.round(v))), ...bars, ...xLabels(days), ...legend(series)],
    series.length,
  );
}

/** Lines per day; `target` draws a dashed horizontal line. */
export function lines(
  id: string,
  title: string,
  days: string[],
  series: Series[],
  options: { max?: number; percent?: boolean; target?: { value: number; label: string } } = {},
): string {
  const max =
    options.max ?? niceMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const format = options.percent
    ? (v: number) => `${Math.round(v * 100)} %`
    : (v: number) => String(Math.round(v));
  const step = PLOT_W / Math.max(1, days.length);
  const x = (i: number): number => M.left + step * (i + 0.5);
  const y = (v: number): number => M.top + PLOT_H - (v / max) * PLOT_H;
  const paths = series.map((s) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    const dots = s.values.flatMap((v, i) =>
      v === null
        ? []
        : [
            `<circle class="mark" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeXml(`${days[i]} ${s.name}: ${format(v)}`)}</title></circle>`,
          ],
    );
    return [
      `<path d="${d.trim() || `M${M.left},${M.top + PLOT_H}`}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      ...dots,
    ].join('\n');
  });
  const target = options.target
    ? [
        `<line class="target" x1="${M.left}" x2="${M.left + PLOT_W}" y1="${y(options.target.value)}" y2="${y(options.target.value)}" stroke="#c0392b" stroke-dasharray="6 4" stroke-width="2"/>`,
        `<text x="${M.left + PLOT_W - 4}" y="${y(options.target.value) - 6}" text-anchor="end" font-size="11" fill="#c0392b">${escapeXml(options.target.label)}</text>`,
      ]
    : [];
  const keys = [
    ...series,
    ...(options.target ? [{ name: options.target.label, color: '#c0392b' }] : []),
  ];
  return frame(
    id,
    title,
    [...yAxis(max, format), ...target, ...paths, ...xLabels(days), ...legend(keys)],
    keys.length,
  );
}

/** Horizontal bars, one group per row (e.g. p50 and p95 of a stage), seconds on the axis. */
export function horizontalBars(
  id: string,
  title: string,
  rows: { label: string; values: { name: string; color: string; value: number }[] }[],
): string {
  const max = niceMax(Math.max(0.001, ...rows.flatMap((r) => r.values.map((v) => v.value))));
  const left = 210;
  const width = WIDTH - left - M.right;
  const rowH = Math.max(18, Math.min(48, PLOT_H / Math.max(1, rows.length)));
  const barH = (rowH * 0.8) / Math.max(1, rows[0]?.values.length ?? 1);
  const body = rows.flatMap((row, r) => {
    const top = M.top + r * rowH;
    return [
      `<text x="${left - 8}" y="${top + rowH / 2 + 4}" text-anchor="end" font-size="12">${escapeXml(row.label)}</text>`,
      ...row.values.map(
        (v, k) =>
          `<rect class="mark" x="${left}" y="${(top + k * barH).toFixed(1)}" width="${Math.max(1, (v.value / max) * width).toFixed(1)}" height="${(barH - 1).toFixed(1)}" fill="${v.color}"><title>${escapeXml(`${row.label} ${v.name}: ${v.value.toFixed(2)} s`)}</title></rect>`,
      ),
    ];
  });
  const axis = [0, 0.5, 1].map(
    (f) =>
      `<text x="${left + f * width}" y="${M.top + PLOT_H + 16}" text-anchor="middle" font-size="11">${Number((f * max).toPrecision(2))} s</text>`,
  );
  const keys = rows[0]?.values.map((v) => ({ name: v.name, color: v.color })) ?? [];
  return frame(id, title, [...body, ...axis, ...legend(keys)], keys.length);
}
