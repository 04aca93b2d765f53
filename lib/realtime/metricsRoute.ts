/**
 * GET /metrics: the Prometheus text exposition of metrics.ts. Like the report route, the custom
 * server calls the handler first and passes the request on to Next.js when it answers false.
 * With a token configured the scraper must present it (Prometheus: `authorization: { type:
 * Bearer, credentials: <token> }`), since the counters tell how much traffic the sensor sees.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRoute, type RouteHandler } from './getRoute.ts';
import { HttpErrorCode, sendJsonError } from './httpError.ts';
import type { ServerMetrics } from './metrics.ts';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  metrics: Pick<ServerMetrics, 'render' | 'contentType'>;
  /** When set, the request must present it (see httpAuth.ts). */
  token?: string;
}

export function createMetricsRoute(options: MetricsRouteOptions): RouteHandler {
  return getRoute(METRICS_PATH, options.token, (request, response) => serveMetrics(request, response, options));
}

async function serveMetrics(request: IncomingMessage, response: ServerResponse, options: MetricsRouteOptions): Promise<void> {
  let text: string;
  try {
    text = await options.metrics.render();
  } catch (error) {
    sendJsonError(response, 500, HttpErrorCode.INTERNAL, `metrics failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', options.metrics.contentType);
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.end(request.method === 'HEAD' ? undefined : text);
}
