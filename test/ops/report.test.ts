import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configIn, runCli, tempDir } from '../helpers.js';
import { chromiumDom, seedInbox } from './ops-helpers.js';

interface ChartCheck {
  id: string;
  width: number;
  height: number;
  marks: number;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

describe('postrobot report', { timeout: 180_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('writes one self-contained page whose charts render with marks in headless Chromium', () => {
    const file = configIn(dir);
    seedInbox(loadConfig(file, {}).inboxDir, 60);
    expect(runCli(['run', '--once', '--config', file]).status).toBe(0);
    const out = join(dir, 'report.html');
    const result = runCli(['report', '--since', '30d', '--out', out, '--config', file]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    // Self-contained: nothing is fetched from anywhere.
    expect(html).not.toMatch(/\s(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);

    const dom = chromiumDom(out);
    const attribute = /data-charts="([^"]*)"/.exec(dom)?.[1];
    expect(attribute, 'the page ran its render check').toBeDefined();
    const charts = JSON.parse(unescapeHtml(attribute!)) as ChartCheck[];
    expect(charts.map((c) => c.id)).toEqual([
      'chart-mail-per-day',
      'chart-route-rate',
      'chart-manual-queue',
      'chart-stages',
    ]);
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(300);
      expect(chart.height, chart.id).toBeGreaterThan(100);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
    }
    expect(dom).toContain('Automatisk fordelt mod målet');
    expect(dom).toMatch(/Mål 80\.0 %/);
  });

  it('refuses a period it cannot read with exit code 2', () => {
    const file = configIn(dir);
    const result = runCli([
      'report',
      '--since',
      'last week',
      '--out',
      join(dir, 'r.html'),
      '--config',
      file,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/7d/);
  });
});
