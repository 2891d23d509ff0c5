import type { ReportData } from './data.js';
import { escapeXml, horizontalBars, lines, stackedBars, type Series } from './svg.js';

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#393b79',
  '#637939',
  '#843c39',
  '#5254a3',
];
const SPECIAL: Record<string, string> = { manual: '#7f7f7f', quarantine: '#d62728' };

function pct(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

/**
 * Checks, in the browser, that every chart was laid out with marks in it, and writes the
 * verdict into the page: `<body data-charts="…">`. Operators see nothing of it; the test
 * reads it from the DOM Chromium dumps.
 */
const RENDER_CHECK = `addEventListener('load',()=>{const r=[...document.querySelectorAll('svg.chart')].map(s=>{const b=s.getBBox();return {id:s.id,width:Math.round(b.width),height:Math.round(b.height),marks:s.querySelectorAll('.mark').length}});document.body.dataset.charts=JSON.stringify(r)})`;

/** The whole report as one self-contained HTML page (inline CSS and SVG, nothing fetched). Pure. */
export function renderReport(data: ReportData, areaNames: Record<string, string>): string {
  const name = (id: string): string =>
    areaNames[id] ??
    (id === 'manual' ? 'Manuel fordeling' : id === 'quarantine' ? 'Karantæne' : id);
  const outcomes = Object.keys(data.perDay).sort(
    (a, b) => (a in SPECIAL ? 1 : 0) - (b in SPECIAL ? 1 : 0) || a.localeCompare(b),
  );
  const series: Series[] = outcomes.map((outcome, i) => ({
    name: name(outcome),
    color: SPECIAL[outcome] ?? PALETTE[i % PALETTE.length]!,
    values: data.perDay[outcome] ?? [],
  }));
  const { totals } = data;
  const rate = totals.mails > 0 ? totals.routed / totals.mails : 0;
  const checked = data.precision.reduce((s, p) => s + p.checked, 0);
  const correct = data.precision.reduce((s, p) => s + p.correct, 0);
  const precisionRows = data.precision
    .map(
      (p) =>
        `<tr><td>${escapeXml(name(p.area))}</td><td>${p.checked}</td><td>${p.correct}</td><td>${pct(p.correct / p.checked)}</td></tr>`,
    )
    .join('\n');
  const stageRows = data.stages
    .map(
      (s) =>
        `<tr><td>${escapeXml(s.stage)}</td><td>${s.count}</td><td>${s.p50.toFixed(2)}</td><td>${s.p95.toFixed(2)}</td><td>${s.max.toFixed(2)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Postrobot – rapport ${data.days[0] ?? ''} til ${data.days.at(-1) ?? ''}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 960px; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.figures { display: flex; gap: 1rem; flex-wrap: wrap; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.figure b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; margin-top: .5rem; } td, th { border-bottom: 1px solid #eee; padding: .25rem .8rem; text-align: right; }
td:first-child, th:first-child { text-align: left; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
.note { color: #666; font-size: .9rem; }
</style>
</head>
<body>
<h1>Postrobot – sådan er posten fordelt</h1>
<p class="note">Perioden ${escapeXml(data.since.slice(0, 10))} til ${escapeXml(data.until.slice(0, 10))}. Dannet ${escapeXml(data.until.slice(0, 16).replace('T', ' '))} UTC.${totals.shadow > 0 ? ` ${totals.shadow} af mailene er afgjort i skyggedrift (intet flyttet eller sendt).` : ''}</p>
<div class="figures">
<div class="figure">Mails<b>${totals.mails}</b></div>
<div class="figure">Fordelt automatisk<b>${pct(rate)}</b>mål ${pct(data.targetRouteRate)}</div>
<div class="figure">Manuel fordeling<b>${totals.manual}</b></div>
<div class="figure">Karantæne<b>${totals.quarantined}</b></div>
<div class="figure">Præcision (rettet af personer)<b>${checked > 0 ? pct(correct / checked) : '–'}</b>${checked} kontrolleret</div>
</div>

<h2>Mail pr. dag og område</h2>
${stackedBars('chart-mail-per-day', 'Mail pr. dag fordelt på område', data.days, series)}

<h2>Automatisk fordelt mod målet</h2>
${lines('chart-route-rate', 'Andel automatisk fordelt pr. dag', data.days, [{ name: 'Automatisk fordelt', color: '#1f77b4', values: data.routeRate }], { max: 1, percent: true, target: { value: data.targetRouteRate, label: `Mål ${pct(data.targetRouteRate)}` } })}

<h2>Køen i Manuel fordeling</h2>
${lines('chart-manual-queue', 'Mails i Manuel fordeling, som ingen person har fordelt endnu, ved dagens slutning', data.days, [{ name: 'I kø', color: '#7f7f7f', values: data.manualQueue }])}

<h2>Præcision målt på senere rettelser</h2>
<p class="note">En automatisk fordelt mail, som en person senere har lagt i et område (eller bekræftet), tæller som rigtig når området er det samme.</p>
${checked > 0 ? `<table><tr><th>Område</th><th>Kontrolleret</th><th>Rigtige</th><th>Præcision</th></tr>\n${precisionRows}\n</table>` : '<p>Ingen rettelser fra personer i perioden endnu.</p>'}

<h2>De langsomste trin</h2>
${horizontalBars(
  'chart-stages',
  'Tid pr. trin (median og 95 %-fraktil), sekunder',
  data.stages.map((s) => ({
    label: s.stage,
    values: [
      { name: 'median', color: '#9ecae1', value: s.p50 },
      { name: '95 %', color: '#3182bd', value: s.p95 },
    ],
  })),
)}
<table><tr><th>Trin</th><th>Antal</th><th>Median s</th><th>95 % s</th><th>Maks s</th></tr>
${stageRows}
</table>
<script>${RENDER_CHECK}</script>
</body>
</html>
`;
}
