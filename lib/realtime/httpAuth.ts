/**
 * The shared-token check for HTTP routes (the socket middleware in hub.ts uses the same
 * comparison). A request carries the token as `Authorization: Bearer <token>` or `?token=`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Constant-time comparison, so the reply time does not tell how much of a guess was right. */
export function tokenMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request presents, from the Authorization header first, else the query string. */
export function requestToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  return url.searchParams.get('token') ?? undefined;
}

/** True when no token is configured, or the request presents the configured one. */
export function isAuthorized(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined || token === '') return true;
  return tokenMatches(requestToken(request), token);
}
