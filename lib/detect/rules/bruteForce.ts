/**
 * Brute force: one source trying many logins on one service of one host within a window. The
 * service is recognised by what it says, on any port, and its own failure signal is counted:
 *
 * - SSH: the `SSH-` identification string either end sends first. The exchange is encrypted, so
 *   a refused login is told by the size of the server's answer (sshRefusals.ts: a refusal repeats
 *   the size of the refusal of method "none", a success is smaller), counted when the connection
 *   closes; many sessions from one client (distinct client ports) count too, with a higher threshold.
 * - FTP: the server's `220` greeting (or the client's USER/PASS) marks the service; each `530`
 *   reply ("not logged in") from the server is a failed login.
 * - HTTP: each `HTTP/1.x 401` response to the client is a failed login (basic/digest auth), and
 *   each request whose URL carries a password parameter (`?username=…&password=…`: a form login
 *   submitted by GET, hydra http-get-form) a login attempt.
 *
 * Fallback, for services that say nothing readable (TLS, RDP, SMB, ...) or captures that start
 * mid-session: distinct client ports that carry client data to a listed login port (a login
 * attempt sends credentials; SYN floods and scans send none), and to a web port when the data is
 * not plain HTTP (HTTPS logins), with many more needed because browsers open several connections
 * per page; a web fallback running at flood rate (httpFlood.requests per httpFlood.windowSeconds)
 * is a load, not logins. Plain HTTP is never counted by connections: a benign client running
 * `ab -n 50 -c 2` twice makes 100 of them, as many as hydra's form login (whose attempts show
 * their passwords in the URL instead).
 *
 * Keyed by (client, server, service port): the direction comes from the text (a 530 or a 401
 * comes from the server) or, for data to a listed port and for SSH banners, from the ports
 * (the service's port is the listed one, or the lower one).
 */
import type { DecodedPacket } from '../../decode/packet.ts';
import { DistinctBitmaps, mix32 } from '../distinctBitmaps.ts';
import {
  confidenceFromRatio,
  formatCount,
  formatDuration,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';
import { readServicePair, SERVICE_PAIR_KEY_WORDS, writeServicePairKey } from './servicePairKey.ts';
import { SshRefusals } from './sshRefusals.ts';
import { httpStatus, isAsciiLetter, isFtpLoginCommand, isHttpRequest, isSshBanner, replyCode, requestLineHasPassword } from './payloadText.ts';
import { TcpFlag } from '../../decode/packet.ts';

const { FIN, SYN, RST, ACK } = TcpFlag;
const NOT_WATCHED = 0;
const LOGIN = 1;
const WEB = 2;
const EPISODE_BITS = 4096;

/** What the slot's service said it is. */
const UNKNOWN = 0;
const SSH = 1;
const FTP = 2;
const HTTP = 3;

/** HTTP login evidence kinds (bits). */
const HTTP_401 = 1;
const HTTP_PASSWORD_IN_URL = 2;

/** Which end sent the packet, as far as the packet tells. */
const FROM_CLIENT = 0;
const FROM_SERVER = 1;

/** What the packet adds to its slot (bits). */
const NOTHING = 0;
const SESSION = 1;
const FAILURE = 2;

const serviceNames: Record<number, string> = {
  21: 'FTP', 22: 'SSH', 23: 'Telnet', 25: 'SMTP', 80: 'HTTP', 110: 'POP3', 143: 'IMAP', 443: 'HTTPS', 445: 'SMB',
  465: 'SMTPS', 587: 'SMTP submission', 993: 'IMAPS', 995: 'POP3S', 1433: 'MSSQL', 3306: 'MySQL', 3389: 'RDP',
  5432: 'PostgreSQL', 5900: 'VNC', 8080: 'HTTP', 8443: 'HTTPS',
};

export function createBruteForceDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  const settings = config.bruteForce;
  const portKind = new Uint8Array(65_536);
  for (const port of settings.webPorts) portKind[port] = WEB;
  for (const port of settings.ports) portKind[port] = LOGIN;
  // A web fallback at or above this many sessions a second is a flood (the http-flood rule's), not logins.
  const webFloodPerSecond = config.httpFlood.requests / config.httpFlood.windowSeconds;
  // Key: IP version | service port << 8, 4 client words, 4 server words.
  const slots = new WindowedSlots(settings.slots, SERVICE_PAIR_KEY_WORDS, settings.windowSeconds, config.reportIntervalSeconds, (slot) => report(slot, slots.lastEvidenceUs[slot]));
  const capacity = slots.capacity;
  const windowSessions = new DistinctBitmaps(capacity, Math.max(settings.connections, settings.webConnections, settings.sshSessions) * 4);
  const episodeSessions = new DistinctBitmaps(capacity, EPISODE_BITS);
  // The previous window's count (0 when it was not right before), for the sliding estimate.
  const previousSessions = new Float64Array(capacity);
  const windowFailures = new Float64Array(capacity);
  const previousFailures = new Float64Array(capacity);
  const episodeFailures = new Float64Array(capacity);
  const service = new Uint8Array(capacity);
  // Which HTTP evidence the episode holds (HTTP_401 | HTTP_PASSWORD_IN_URL), for the summary.
  const httpEvidence = new Uint8Array(capacity);
  // Web fallback: when the sessions first reached the threshold (-1: not yet), the episode's sessions
  // then, and whether the rate after it showed a flood (then the episode is never a brute force).
  const webCandidateUs = new Float64Array(capacity);
  const webCandidateSessions = new Float64Array(capacity);
  const webFlood = new Uint8Array(capacity);
  const addressScratch = new Uint32Array(4);
  const sshRefusals = new SshRefusals(settings.slots * 4);

  /** Observed/threshold for the slot's evidence, given its service and port. */
  function ratioOf(slot: number, port: number, sessions: number, failures: number, nowUs: number): number {
    switch (service[slot]) {
      case SSH:
        return Math.max(sessions / settings.sshSessions, failures / settings.sshRefusals);
      case FTP:
        return failures / settings.ftpFailures;
      case HTTP:
        return failures / settings.httpAuthFailures;
      default:
        if (portKind[port] === LOGIN) return sessions / settings.connections;
        if (portKind[port] === WEB) return webRatio(slot, sessions, nowUs);
        return 0;
    }
  }

  /**
   * The web fallback's ratio, once it is known not to be a flood: when the sessions first reach
   * the threshold the slot becomes a candidate, and a second later the rate since then decides —
   * under webFloodPerSecond it is a login brute force (hydra: 15 a second), at or above it a load
   * (ab: thousands a second) that the http-flood rule judges, and the episode stays quiet.
   */
  function webRatio(slot: number, sessions: number, nowUs: number): number {
    const ratio = sessions / settings.webConnections;
    if (ratio < 1 || webFlood[slot] === 1) return 0;
    const episode = episodeSessions.estimate(slot);
    if (webCandidateUs[slot] < 0) {
      webCandidateUs[slot] = nowUs;
      webCandidateSessions[slot] = episode;
      return 0;
    }
    const elapsedSeconds = (nowUs - webCandidateUs[slot]) / 1e6;
    if (elapsedSeconds < 1) return 0;
    if ((episode - webCandidateSessions[slot]) / elapsedSeconds >= webFloodPerSecond) {
      webFlood[slot] = 1;
      return 0;
    }
    return ratio;
  }

  function report(slot: number, timeUs: number): void {
    const { port, client: source, server: target } = readServicePair(slots, slot, addressScratch);
    const duration = formatDuration(timeUs - slots.episodeStartUs[slot]);
    const sessions = episodeSessions.estimate(slot);
    const failures = episodeFailures[slot];
    let summary: string;
    let attempts: number;
    const kind = service[slot];
    if (kind === FTP) {
      attempts = failures;
      summary = `${formatCount(failures)} failed FTP logins (530) to ${target}:${port} in ${duration}`;
    } else if (kind === HTTP) {
      attempts = failures;
      const evidence = httpEvidence[slot];
      summary =
        evidence === HTTP_401
          ? `${formatCount(failures)} failed HTTP logins (401) to ${target}:${port} in ${duration}`
          : evidence === HTTP_PASSWORD_IN_URL
            ? `${formatCount(failures)} HTTP login attempts (password in the URL) to ${target}:${port} in ${duration}`
            : `${formatCount(failures)} HTTP login attempts (401s and passwords in the URL) to ${target}:${port} in ${duration}`;
    } else if (kind === SSH) {
      attempts = Math.max(sessions, failures);
      summary = failures > 0
        ? `${formatCount(failures)} refused SSH logins in ${formatCount(sessions)} sessions to ${target}:${port} in ${duration}`
        : `${formatCount(sessions)} SSH sessions (login attempts; encrypted) to ${target}:${port} in ${duration}`;
    } else {
      attempts = sessions;
      const name = serviceNames[port] ?? `port ${port}`;
      summary = `${formatCount(sessions)} ${name} sessions (client ports) to ${target}:${port} in ${duration}`;
    }
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: port,
      protocol: 'TCP',
      threatType: 'BruteForce',
      category: 'Application',
      confidence: confidenceFromRatio(slots.peakRatio[slot]),
      detector: 'rule:brute-force',
      summary,
      incidentKey: `rule:brute-force|${source}->${target}:${port}`,
      attackers: [{ ip: source, count: attempts }],
      distinctSources: 1,
      targets: [`${target}:${port}`],
    });
  }

  return {
    name: 'brute-force',
    observePacket(packet: DecodedPacket): void {
      if (packet.protocol !== 6 || packet.ipVersion === 0 || packet.isNonFirstFragment) return;
      const srcPort = packet.srcPort;
      const dstPort = packet.dstPort;
      // What the packet says, and so which end sent it.
      let from = FROM_CLIENT;
      let says = UNKNOWN;
      let adds = NOTHING;
      let httpKind = 0;
      // Refused SSH logins (sshRefusals.ts) an SSH connection's close or encrypted answer brings in.
      let refused = (packet.tcpFlags & (FIN | RST)) !== 0 ? sshRefusals.close(packet) : 0;
      if (refused === 0) {
        if (packet.payloadLength === 0) return;
        // Data of an established connection always carries ACK: a SYN with a payload (hping3 -S -d)
        // is a flood's, never a login.
        if ((packet.tcpFlags & (SYN | ACK)) !== ACK) return;
        const bytes = packet.frameBytes;
        const start = packet.payloadOffset;
        const length = packet.payloadCapturedLength;
        if (length >= 4) {
          const code = replyCode(bytes, start, length);
          if (code === 530) {
            from = FROM_SERVER;
            adds = FAILURE;
          } else if (code === 220) {
            from = FROM_SERVER;
            says = FTP;
          } else if (isSshBanner(bytes, start, length)) {
            from = srcPort < dstPort ? FROM_SERVER : FROM_CLIENT;
            says = SSH;
            adds = SESSION;
            sshRefusals.follow(packet, from === FROM_SERVER);
          } else if (isFtpLoginCommand(bytes, start, length)) {
            says = FTP;
          } else if (isHttpRequest(bytes, start, length)) {
            says = HTTP;
            // A form login submitted by GET carries the password in the URL (hydra http-get-form).
            if (requestLineHasPassword(bytes, start, length)) {
              adds = FAILURE;
              httpKind = HTTP_PASSWORD_IN_URL;
            }
          } else {
            const status = httpStatus(bytes, start, length);
            if (status > 0) {
              from = FROM_SERVER;
              says = HTTP;
              if (status === 401) {
                adds = FAILURE;
                httpKind = HTTP_401;
              }
            }
          }
        }
        // Encrypted data: an SSH connection's authentication is watched by its sizes.
        if (from === FROM_CLIENT && says === UNKNOWN) refused = sshRefusals.observe(packet);
        if (refused === 0 && from === FROM_CLIENT && says === UNKNOWN) {
          // Nothing recognised: the port-list fallback, client data to a listed service port.
          const fallback = portKind[dstPort];
          if (fallback === NOT_WATCHED || portKind[srcPort] !== NOT_WATCHED) return;
          // On a web port only unreadable sessions count (TLS records start with 0x14-0x17): plain
          // HTTP says what it is (401s, passwords in the URL), and its header lines (slowloris's
          // too) are text.
          if (fallback === WEB && length > 0 && isAsciiLetter(bytes[start])) return;
          adds = SESSION;
        }
      }
      if (refused > 0) {
        from = sshRefusals.serverIsSource ? FROM_SERVER : FROM_CLIENT;
        says = SSH;
        adds = FAILURE;
      }

      const nowUs = packet.timestampUs;
      slots.nowUs = nowUs;
      const servicePort = from === FROM_SERVER ? srcPort : dstPort;
      writeServicePairKey(slots, packet.ipVersion, servicePort, from === FROM_SERVER ? packet.dst : packet.src, from === FROM_SERVER ? packet.src : packet.dst);
      const slot = slots.touch();
      if (slots.isNew) service[slot] = UNKNOWN;
      if (slots.windowRestarted) {
        const contiguous = slots.previousContiguous;
        previousSessions[slot] = contiguous ? windowSessions.estimate(slot) : 0;
        previousFailures[slot] = contiguous ? windowFailures[slot] : 0;
        windowSessions.clear(slot);
        windowFailures[slot] = 0;
      }
      if (slots.episodeRestarted) {
        episodeSessions.clear(slot);
        episodeFailures[slot] = 0;
        httpEvidence[slot] = 0;
        webCandidateUs[slot] = -1;
        webFlood[slot] = 0;
      }
      // SSH and FTP say so once; HTTP only where nothing more specific was heard.
      if (says !== UNKNOWN && (service[slot] === UNKNOWN || says !== HTTP)) service[slot] = says;
      let changed = false;
      if ((adds & FAILURE) !== 0 && says === SSH) {
        windowFailures[slot] += refused;
        episodeFailures[slot] += refused;
        slots.noteEvidence(slot);
        changed = true;
      } else if ((adds & FAILURE) !== 0) {
        // A 530 counts once the service said it is FTP (or on FTP's port, for captures without the greeting).
        if (says === HTTP || service[slot] === FTP || servicePort === 21) {
          if (says !== HTTP) service[slot] = FTP;
          else httpEvidence[slot] |= httpKind;
          windowFailures[slot]++;
          episodeFailures[slot]++;
          slots.noteEvidence(slot);
          changed = true;
        }
      }
      if ((adds & SESSION) !== 0) {
        const portHash = mix32(from === FROM_SERVER ? dstPort : srcPort);
        if (episodeSessions.add(slot, portHash)) slots.noteEvidence(slot);
        if (windowSessions.add(slot, portHash)) changed = true;
      }
      if (!changed) return;
      const weight = Math.max(0, 1 - (nowUs - slots.windowStartUs[slot]) / slots.windowUs);
      const sessions = windowSessions.estimate(slot) + previousSessions[slot] * weight;
      const failures = windowFailures[slot] + previousFailures[slot] * weight;
      const ratio = ratioOf(slot, servicePort, sessions, failures, nowUs);
      if (ratio < 1) return;
      if (ratio > slots.peakRatio[slot]) slots.peakRatio[slot] = ratio;
      if (slots.overThreshold(slot)) report(slot, nowUs);
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
    },
  };
}
