/**
 * The single source of truth for every rule-detector and incident threshold: defaults, allowed
 * ranges and what each one does. Defaults were set against the real captures in
 * shared/datasets/pcaps (see lib/detect/README.md for the numbers behind each one).
 * Parse user input with `parseDetectorConfig`; a partial object gets the defaults filled in.
 */
import { z } from 'zod';
import { defaultSeverityThresholds } from './threatEvent.ts';

const seconds = (fallback: number, max: number, what: string) =>
  z.number().gt(0).max(max).default(fallback).describe(what);

const slots = z
  .number().int().min(64).max(1 << 22)
  .default(4096)
  .describe('Keys tracked at once (rounded up to a power of two). When full, the least recently seen key is forgotten.');

const portList = z.array(z.number().int().min(1).max(65_535)).max(1024);

export const portScanConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    windowSeconds: seconds(10, 3600, 'Tumbling window per source over which probes are counted.'),
    distinctPorts: z
      .number().int().min(2).max(65_536)
      .default(20)
      .describe('Distinct destination ports probed by one source within a window that make a vertical scan.'),
    distinctHosts: z
      .number().int().min(2).max(1 << 24)
      .default(64)
      .describe('Distinct destination hosts probed by one source within a window that make a horizontal sweep.'),
    slowWindowSeconds: seconds(300, 86_400, 'Second, longer window for slow scans (one probe a second, FTP bounce).'),
    slowDistinctPorts: z
      .number().int().min(2).max(65_536)
      .default(100)
      .describe('Distinct destination ports within the slow window that make a slow vertical scan.'),
    slowDistinctHosts: z
      .number().int().min(2).max(1 << 24)
      .default(256)
      .describe('Distinct destination hosts within the slow window that make a slow sweep.'),
    slots,
  })
  .prefault({});

export const synFloodConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    windowSeconds: seconds(1, 60, 'Tumbling window per destination (host and port) over which SYNs and completions are counted.'),
    minHalfOpen: z
      .number().int().min(1).max(1_000_000)
      .default(20)
      .describe('Half-open connections (SYNs minus handshake-completing ACKs) needed within a window before the rate is considered.'),
    halfOpenPerSecond: z
      .number().gt(0).max(1e9)
      .default(100)
      .describe('Half-open rate (per second of the burst, first to latest SYN) at or above which it is a flood.'),
    spoofedSourceShare: z
      .number().gt(0).max(1)
      .default(0.5)
      .describe(
        'For floods spread over many destinations (no single target over threshold): the share of distinct ' +
          'sources among the SYNs that marks the sources as spoofed. A scan has one source and never qualifies.',
      ),
    slots,
  })
  .prefault({});

const floodConfig = (
  packetsPerSecond: number,
  bytesPerSecond: number,
  minPackets: number,
  sourcePacketsPerSecond: number,
  name: string,
  sourcePackets: string,
) =>
  z.object({
    enabled: z.boolean().default(true),
    windowSeconds: seconds(1, 60, `Tumbling window per destination host, and per (source, destination), over which ${name} packets are counted.`),
    packetsPerSecond: z
      .number().gt(0).max(1e9)
      .default(packetsPerSecond)
      .describe(`${name} packets per second to one destination, from any number of sources, at or above which it is a flood.`),
    bytesPerSecond: z
      .number().gt(0).max(1e12)
      .default(bytesPerSecond)
      .describe(`${name} IP bytes per second to one destination at or above which it is a flood (needs minPackets too).`),
    minPackets: z
      .number().int().min(1).max(1e9)
      .default(minPackets)
      .describe('Packets a window must hold before either per-destination rate counts, so one big datagram is never a flood.'),
    sourcePacketsPerSecond: z
      .number().gt(0).max(1e9)
      .default(sourcePacketsPerSecond)
      .describe(`${sourcePackets} per second from one source to one destination at or above which it is a flood.`),
    slots,
  });

export const udpFloodConfigSchema = floodConfig(5000, 100_000_000, 1000, 1000, 'UDP', 'UDP packets')
  .extend({
    maxReplyShare: z
      .number().min(0).max(1)
      .default(0.05)
      .describe(
        'A source is flooding only while the destination sends back at most this share of UDP packets: ' +
          'a QUIC download acknowledges every second or tenth packet, a flood to a closed port gets none.',
      ),
  })
  .prefault({});
export const icmpFloodConfigSchema = floodConfig(500, 5_000_000, 250, 100, 'ICMP', 'ICMP echo requests').prefault({});

export const bruteForceConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    windowSeconds: seconds(120, 86_400, 'Tumbling window per (source, destination, port) over which connections are counted.'),
    connections: z
      .number().int().min(2).max(1_000_000)
      .default(10)
      .describe('Distinct connections (client source ports) from one source to one login service within a window.'),
    ports: portList
      .default([21, 22, 23, 110, 143, 445, 465, 587, 993, 995, 1433, 3306, 3389, 5432, 5900])
      .describe('Login services: FTP, SSH, Telnet, POP3, IMAP, SMB, SMTP submission, IMAPS, POP3S, MSSQL, MySQL, RDP, PostgreSQL, VNC.'),
    webPorts: portList
      .default([80, 443, 8080, 8443])
      .describe('HTTP(S) ports, where browsers open many connections, so they need webConnections.'),
    webConnections: z
      .number().int().min(2).max(1_000_000)
      .default(100)
      .describe('Distinct connections carrying something other than plain HTTP (HTTPS) from one source to one web port within a window.'),
    sshSessions: z
      .number().int().min(2).max(1_000_000)
      .default(30)
      .describe('SSH sessions (recognised by the SSH- banner on any port) from one source to one server within a window, whatever happened in them.'),
    sshRefusals: z
      .number().int().min(1).max(1_000_000)
      .default(5)
      .describe('Refused SSH logins (answers repeating the size of the server\'s refusal of method "none", counted when the connection closes without a success) from one source to one server within a window.'),
    ftpFailures: z
      .number().int().min(2).max(1_000_000)
      .default(5)
      .describe('Failed FTP logins (530 replies after a 220 greeting, on any port) to one source from one server within a window.'),
    httpAuthFailures: z
      .number().int().min(2).max(1_000_000)
      .default(20)
      .describe('HTTP 401 responses to one source from one web service, plus its requests with a password parameter in the URL (a form login by GET), within a window.'),
    slots,
  })
  .prefault({});

export const slowlorisConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    incompleteSeconds: seconds(5, 3600, 'An HTTP request whose headers are not finished this long after its request line, on a connection still open, is held open.'),
    windowSeconds: seconds(
      60,
      3600,
      'Window per (source, web service) over which held connections are reported; a followed connection silent this long stops counting.',
    ),
    connections: z
      .number().int().min(2).max(1_000_000)
      .default(20)
      .describe('Connections from one source to one web service each holding an unfinished request for incompleteSeconds that make a slowloris.'),
    slots: z
      .number().int().min(64).max(1 << 22)
      .default(16_384)
      .describe('Connections with an unfinished request tracked at once (rounded up to a power of two); the quietest is forgotten first.'),
  })
  .prefault({});

export const httpFloodConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    windowSeconds: seconds(10, 3600, 'Tumbling window per (source, web service) over which completed HTTP requests are counted.'),
    requests: z
      .number().int().min(2).max(1e9)
      .default(1000)
      .describe('Completed HTTP/1.x requests (request line and end of headers) from one source to one web service within a window that make a flood.'),
    slots,
  })
  .prefault({});

export const incidentConfigSchema = z
  .object({
    quietGapSeconds: seconds(
      60,
      86_400,
      'Events with the same incident key closer than this (packet time) join one incident. Keep it above ' +
        'reportIntervalSeconds, or an attack still going on is split into one incident per report.',
    ),
    maxOpen: z
      .number().int().min(1).max(10_000_000)
      .default(10_000)
      .describe('Open incidents kept at once; the one quiet the longest is closed first when full.'),
  })
  .prefault({});

export const severityConfigSchema = z
  .object({
    critical: z.number().min(0).max(1).default(defaultSeverityThresholds.critical).describe('Confidence at or above which severity is Critical.'),
    high: z.number().min(0).max(1).default(defaultSeverityThresholds.high).describe('Confidence at or above which severity is High.'),
    medium: z.number().min(0).max(1).default(defaultSeverityThresholds.medium).describe('Confidence at or above which severity is Medium; below is Low.'),
  })
  .refine((s) => s.critical >= s.high && s.high >= s.medium, { message: 'severity thresholds must satisfy critical >= high >= medium' })
  .prefault({});

export const detectorConfigSchema = z.object({
  reportIntervalSeconds: seconds(
    30,
    86_400,
    'At most one detection per detector key in this long while an attack goes on (the incident absorbs the rest).',
  ),
  portScan: portScanConfigSchema,
  synFlood: synFloodConfigSchema,
  udpFlood: udpFloodConfigSchema,
  icmpFlood: icmpFloodConfigSchema,
  bruteForce: bruteForceConfigSchema,
  slowloris: slowlorisConfigSchema,
  httpFlood: httpFloodConfigSchema,
  incidents: incidentConfigSchema,
  severity: severityConfigSchema,
});

export type DetectorConfig = z.output<typeof detectorConfigSchema>;
export type DetectorConfigInput = z.input<typeof detectorConfigSchema>;
export type FloodConfig = DetectorConfig['icmpFlood'];

/** Defaults filled in; throws a ZodError naming the offending field when a value is out of range. */
export function parseDetectorConfig(input: DetectorConfigInput = {}): DetectorConfig {
  return detectorConfigSchema.parse(input);
}

export const defaultDetectorConfig: DetectorConfig = parseDetectorConfig();
