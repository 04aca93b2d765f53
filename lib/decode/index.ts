export { DecodedPacket, TcpFlag, IpProtocol } from './packet.ts';
export { decodeFrame } from './decodeFrame.ts';
export {
  DecodeAnomalies,
  DecodeAnomaly,
  decodeAnomalyNames,
  decodedDespiteAnomaly,
  type DecodeAnomalyCode,
} from './anomalies.ts';
export { formatAddress, formatIpv4 } from './formatAddress.ts';
