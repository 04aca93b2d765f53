/**
 * Reading the first bytes of a TCP payload for the rules that recognise a service by what it
 * says rather than by its port: SSH banners, FTP replies and commands, HTTP request lines and
 * status lines. Everything works on (bytes, start, length) straight from the frame buffer, with
 * byte constants built once, so nothing is allocated per packet; only the first bytes are needed
 * (live capture keeps 512 bytes of frame, the lab 256).
 */

function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const SSH_BANNER = ascii('SSH-');
const HTTP_VERSION = ascii('HTTP/1.');
const FTP_USER = ascii('USER ');
const FTP_PASS = ascii('PASS ');
const HTTP_METHODS = ['GET ', 'POST ', 'HEAD ', 'PUT ', 'DELETE ', 'OPTIONS ', 'PATCH '].map(ascii);

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const DASH = 0x2d;
const ZERO = 0x30;

export function startsWith(bytes: Uint8Array, start: number, length: number, prefix: Uint8Array): boolean {
  if (length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

/** "SSH-2.0-OpenSSH_9.2p1 …": the identification string both SSH ends send first (RFC 4253 §4.2). */
export function isSshBanner(bytes: Uint8Array, start: number, length: number): boolean {
  return startsWith(bytes, start, length, SSH_BANNER);
}

/**
 * The three-digit code of an FTP/SMTP-style reply line ("220 ", "530-"), or -1. The reply
 * must be digits followed by a space or a dash (RFC 959 §4.2), so most other text is refused.
 */
export function replyCode(bytes: Uint8Array, start: number, length: number): number {
  if (length < 4) return -1;
  const a = bytes[start] - ZERO;
  const b = bytes[start + 1] - ZERO;
  const c = bytes[start + 2] - ZERO;
  const after = bytes[start + 3];
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9 || (after !== SPACE && after !== DASH)) return -1;
  return a * 100 + b * 10 + c;
}

/** FTP's USER or PASS command: a client logging in. */
export function isFtpLoginCommand(bytes: Uint8Array, start: number, length: number): boolean {
  return startsWith(bytes, start, length, FTP_USER) || startsWith(bytes, start, length, FTP_PASS);
}

/** The status of an HTTP/1.x response ("HTTP/1.1 401 Unauthorized" → 401), or -1. */
export function httpStatus(bytes: Uint8Array, start: number, length: number): number {
  if (length < 12 || !startsWith(bytes, start, length, HTTP_VERSION) || bytes[start + 8] !== SPACE) return -1;
  const a = bytes[start + 9] - ZERO;
  const b = bytes[start + 10] - ZERO;
  const c = bytes[start + 11] - ZERO;
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

/** Whether the payload starts with an HTTP/1.x request line's method ("GET ", "POST ", ...). */
export function isHttpRequest(bytes: Uint8Array, start: number, length: number): boolean {
  if (length < 4) return false;
  // First-byte test first: almost every payload fails it.
  const first = bytes[start];
  if (first !== 0x47 && first !== 0x50 && first !== 0x48 && first !== 0x44 && first !== 0x4f) return false;
  for (let m = 0; m < HTTP_METHODS.length; m++) if (startsWith(bytes, start, length, HTTP_METHODS[m])) return true;
  return false;
}

/**
 * Whether an HTTP request line (up to its end or the captured bytes' end) carries a password
 * parameter: a name holding "pass" or "pwd" followed by "=" ("password=", "passwd=", "user_pass=",
 * "pwd="), as an HTTP form login submitted by GET does (hydra http-get-form). Case-insensitive.
 */
export function requestLineHasPassword(bytes: Uint8Array, start: number, length: number): boolean {
  const end = start + length;
  for (let i = start; i < end - 3; i++) {
    const byte = bytes[i];
    if (byte === CR || byte === LF) return false;
    const a = byte | 0x20;
    if (a !== 0x70) continue; // 'p'
    const b = bytes[i + 1] | 0x20;
    const c = bytes[i + 2] | 0x20;
    let nameEnd: number;
    if (b === 0x61 && c === 0x73 && (bytes[i + 3] | 0x20) === 0x73) nameEnd = i + 4; // "pass"
    else if (b === 0x77 && c === 0x64) nameEnd = i + 3; // "pwd"
    else continue;
    // The rest of the parameter name (letters, digits, '_', '-'), then '='.
    while (nameEnd < end && isNameByte(bytes[nameEnd])) nameEnd++;
    if (nameEnd < end && bytes[nameEnd] === 0x3d) return true;
  }
  return false;
}

function isNameByte(byte: number): boolean {
  const lower = byte | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x5f || byte === 0x2d;
}

/** A–Z or a–z: the first byte of every HTTP/1.x request and header line, never of a TLS record. */
export function isAsciiLetter(byte: number): boolean {
  const upper = byte & 0xdf;
  return upper >= 0x41 && upper <= 0x5a;
}

/** Whether the captured bytes hold the blank line that ends HTTP headers (CRLF CRLF, or a bare LF LF). */
export function hasHeaderEnd(bytes: Uint8Array, start: number, length: number): boolean {
  const end = start + length;
  for (let i = start + 1; i < end; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i - 1] === LF) return true;
    if (i >= start + 3 && bytes[i - 1] === CR && bytes[i - 2] === LF && bytes[i - 3] === CR) return true;
  }
  return false;
}
