import type { ServerResponse } from 'node:http';

/** Codes an HTTP route of ours can answer with, in `{ error: { message, code, status } }`. */
export const HttpErrorCode = {
  BAD_REQUEST: 'bad_request',
  UNAUTHORIZED: 'unauthorized',
  METHOD_NOT_ALLOWED: 'method_not_allowed',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  UNPROCESSABLE: 'unprocessable',
  INTERNAL: 'internal_error',
} as const;
export type HttpErrorCodeValue = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

export interface HttpErrorBody {
  error: { message: string; code: HttpErrorCodeValue; status: number };
}

export function sendJsonError(response: ServerResponse, status: number, code: HttpErrorCodeValue, message: string): void {
  const body: HttpErrorBody = { error: { message, code, status } };
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.setHeader('Cache-Control', 'no-store');
  response.end(text);
}
