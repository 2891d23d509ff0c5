import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { describeError } from '../../errors.js';
import type { OpsMetrics } from './ops-metrics.js';

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** /healthz fails when the source has been silent for longer. */
  maxSourceSilenceSeconds: number;
  now?: () => Date;
}

export interface Health {
  status: 'ok' | 'failing';
  problems: string[];
  lastSourceContact: string;
  pendingActions: number;
  failedActions: number;
}

/** Pure: the health verdict from what the metrics know. */
export function healthOf(metrics: OpsMetrics, options: MetricsServerOptions, now: Date): Health {
  const problems: string[] = [];
  const contact = metrics.lastSourceContact();
  const silence = (now.getTime() - contact.getTime()) / 1000;
  if (silence > options.maxSourceSilenceSeconds)
    problems.push(`the mail source has not answered for ${Math.round(silence)} s`);
  const pending = sumActions(metrics, 'pending');
  const failed = sumActions(metrics, 'failed');
  return {
    status: problems.length === 0 ? 'ok' : 'failing',
    problems,
    lastSourceContact: contact.toISOString(),
    pendingActions: pending,
    failedActions: failed,
  };
}

function sumActions(metrics: OpsMetrics, status: string): number {
  return ['move', 'forward', 'notify'].reduce(
    (sum, kind) => sum + metrics.actions.get({ kind, status }),
    0,
  );
}

/**
 * The metrics and health endpoint: GET /metrics (Prometheus text) and GET /healthz
 * (200 or 503 with a JSON body). Resolves once listening; the port in `port()`.
 */
export async function startMetricsServer(
  metrics: OpsMetrics,
  options: MetricsServerOptions,
  log: Logger,
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const now = options.now ?? (() => new Date());
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      if (path === '/metrics') {
        const body = metrics.render();
        response
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
          .end(body);
      } else if (path === '/healthz') {
        metrics.refresh();
        const health = healthOf(metrics, options, now());
        response
          .writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(health));
      } else {
        response
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('not found: try /metrics or /healthz\n');
      }
    } catch (error) {
      // The journal cannot be read: that is exactly what a health check must report.
      log.error({ event: 'metrics-failed', err: describeError(error) }, 'cannot serve metrics');
      response
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'failing', problems: ['the journal cannot be read'] }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  log.info(
    { event: 'metrics-listening', host: options.host, port },
    'metrics and health endpoint listening',
  );
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
