/**
 * The coverage/precision curve as a small self-contained SVG: one point per global
 * threshold, the target precision as a dashed line, and the operating point that the
 * per-area thresholds reached.
 */
import type { EvaluationReport } from './evaluate.js';

const W = 560;
const H = 380;
const PAD = { left: 60, right: 20, top: 30, bottom: 50 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function curveSvg(report: EvaluationReport): string {
  const minPrecision = Math.min(0.5, ...report.curve.map((p) => p.precision));
  const x = (coverage: number): number => PAD.left + coverage * (W - PAD.left - PAD.right);
  const y = (precision: number): number =>
    PAD.top + ((1 - precision) / (1 - minPrecision)) * (H - PAD.top - PAD.bottom);
  const points = report.curve
    .map((p) => `${x(p.coverage).toFixed(1)},${y(p.precision).toFixed(1)}`)
    .join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (c) =>
        `<text x="${x(c)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${Math.round(c * 100)} %</text>`,
    )
    .join('');
  const yTicks = [minPrecision, (minPrecision + 1) / 2, report.targetPrecision, 1]
    .map(
      (p) =>
        `<text x="${PAD.left - 6}" y="${y(p) + 4}" text-anchor="end">${(p * 100).toFixed(0)} %</text>`,
    )
    .join('');
  const title = `Dækning og præcision (${report.folds}-fold, ${report.examples} mails${report.evidence ? ', med evidens' : ''})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">${escape(title)}</text>
<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="black"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="black"/>
${ticks}${yTicks}
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">dækning (andel af fordelbar post der fordeles)</text>
<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">præcision</text>
<line x1="${PAD.left}" y1="${y(report.targetPrecision)}" x2="${W - PAD.right}" y2="${y(report.targetPrecision)}" stroke="#c00" stroke-dasharray="5,4"/>
<polyline points="${points}" fill="none" stroke="#0055aa" stroke-width="2"/>
<circle cx="${x(report.coverage)}" cy="${y(report.precision)}" r="5" fill="#c00"/>
<text x="${x(report.coverage) + 8}" y="${y(report.precision) - 8}">valgte tærskler: ${(report.coverage * 100).toFixed(1)} % ved ${(report.precision * 100).toFixed(1)} %</text>
</svg>
`;
}
