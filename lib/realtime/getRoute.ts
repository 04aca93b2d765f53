/**
 * The one shape of NetGuard's own HTTP routes on the custom server (report CSV, EVE alerts,
 * /metrics): a handler that answers true when the path is its own (server.ts passes anything
 * else on to Next.js), refuses other methods than GET/HEAD (405) and, with a token configured,
 * requests that do not present it (401, see httpAuth.ts), in the one error shape (httpError.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAuthorized } from './httpAuth.ts';
import { HttpErrorCode, sendJsonError } from './httpError.ts';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

export function getRoute(
  path: string,
  token: string | undefined,
  serve: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>,
): RouteHandler {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendJsonError(response, 405, HttpErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed; use GET`);
    } else if (!isAuthorized(request, token)) {
      sendJsonError(response, 401, HttpErrorCode.UNAUTHORIZED, 'a valid token is required (Authorization: Bearer <token> or ?token=)');
    } else {
      void serve(request, response, url);
    }
    return true;
  };
}
