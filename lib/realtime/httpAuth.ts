/**
 * The shared-token check for HTTP routes and sockets. A request carries the token as
 * `Authorization: Bearer <token>`, `?token=`, or the `netguard_token` cookie. The cookie exists
 * because a browser sends neither header nor query with the page's own script and style
 * requests: `authorizeHttp` sets it when a page is opened with a valid `?token=`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const TOKEN_COOKIE = 'netguard_token';

/** Constant-time comparison, so the reply time does not tell how much of a guess was right. */
export function tokenMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of the token cookie in a Cookie header, if any. */
export function cookieToken(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The token a request presents: Authorization header first, then the query string, then the cookie. */
export function requestToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  return url.searchParams.get('token') ?? cookieToken(request.headers.cookie);
}

/** True when no token is configured, or the request presents the configured one. */
export function isAuthorized(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined || token === '') return true;
  return tokenMatches(requestToken(request), token);
}

/**
 * isAuthorized, and when the token came in the query string, a session cookie with it so the
 * page's scripts, styles and later requests are authorised too. HttpOnly keeps it from page
 * scripts; SameSite=Strict keeps other sites' pages from sending it.
 */
export function authorizeHttp(request: IncomingMessage, response: ServerResponse, token: string | undefined): boolean {
  if (!isAuthorized(request, token)) return false;
  if (token !== undefined && token !== '') {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.searchParams.has('token') && cookieToken(request.headers.cookie) !== token) {
      response.appendHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
    }
  }
  return true;
}

/**
 * Socket.IO middleware for every namespace: with a token configured, a socket must present it as
 * `auth: { token }` in the handshake or in the page's cookie (set by authorizeHttp), else its
 * connection is refused with UNAUTHORIZED_MESSAGE. Without a token it lets every socket in.
 */
export const UNAUTHORIZED_MESSAGE = 'unauthorized: a valid token is required';

export function socketTokenGuard(
  token: string | undefined,
): (socket: { handshake: { auth: unknown; headers: { cookie?: string } } }, next: (error?: Error) => void) => void {
  return (socket, next) => {
    if (token === undefined || token === '') return next();
    const auth = socket.handshake.auth;
    const presented = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    if (tokenMatches(presented, token) || tokenMatches(cookieToken(socket.handshake.headers.cookie), token)) next();
    else next(new Error(UNAUTHORIZED_MESSAGE));
  };
}
