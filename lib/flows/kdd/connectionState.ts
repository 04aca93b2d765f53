/**
 * The KDD "flag" column: Bro's conn_state summary of a TCP connection's handshake and teardown.
 * Non-TCP connections are "SF" as in the dataset. Bro's RSTRH/SHR (responder-only handshakes)
 * do not occur in NSL-KDD and become "OTH".
 */
import { TcpFlag } from '../../decode/packet.ts';

export interface HandshakeFlags {
  /** OR of the TCP flag bits the originator sent, and whether it sent a bare SYN. */
  forwardFlags: number;
  backwardFlags: number;
  forwardSyn: boolean;
  /** The responder answered with SYN+ACK. */
  backwardSynAck: boolean;
  backwardPackets: number;
}

export function kddConnectionState(protocol: number, flags: HandshakeFlags): string {
  if (protocol !== 6) return 'SF';
  const originatorRst = (flags.forwardFlags & TcpFlag.RST) !== 0;
  const responderRst = (flags.backwardFlags & TcpFlag.RST) !== 0;
  const originatorFin = (flags.forwardFlags & TcpFlag.FIN) !== 0;
  const responderFin = (flags.backwardFlags & TcpFlag.FIN) !== 0;

  if (flags.forwardSyn && !flags.backwardSynAck) {
    if (responderRst) return 'REJ';
    if (originatorRst) return 'RSTOS0';
    if (originatorFin) return 'SH';
    return 'S0';
  }
  if (!flags.forwardSyn) return 'OTH';
  if (originatorRst) return 'RSTO';
  if (responderRst) return 'RSTR';
  if (originatorFin && responderFin) return 'SF';
  if (originatorFin) return 'S2';
  if (responderFin) return 'S3';
  return 'S1';
}

/**
 * "SYN errors" in the rate features: S0-S3, the handshakes that never completed a clean close.
 * This follows the AI-IDS kdd99_feature_extractor, the one public re-implementation checked
 * against the dataset; the original definition was never published.
 */
export function isSynError(state: string): boolean {
  return state === 'S0' || state === 'S1' || state === 'S2' || state === 'S3';
}

/** KDD counts rejected connections as "REJ errors". */
export function isRejectError(state: string): boolean {
  return state === 'REJ';
}
