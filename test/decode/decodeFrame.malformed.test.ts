import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Frame, LinkType } from '../../lib/capture/index.ts';
import {
  DecodeAnomalies,
  DecodeAnomaly,
  DecodedPacket,
  decodeAnomalyNames,
  decodeFrame,
  type DecodeAnomalyCode,
} from '../../lib/decode/index.ts';
import { fuzzDecode } from './mutatedFrames.ts';
import { datasetPath } from './tsharkCompare.ts';
import { loadFrames, toFrame, type StoredFrame } from './realFrames.ts';

/** Real frames of each kind, picked from real captures by what tshark says they are. */
interface Sample {
  name: string;
  stored: StoredFrame;
  linkHeader: number;
  transportMinimum: number;
  transportAnomaly: DecodeAnomalyCode;
}

const samples: Sample[] = [];
const pool: StoredFrame[] = [];

function snapshot(packet: DecodedPacket): Record<string, unknown> {
  return { ...packet, src: Array.from(packet.src), dst: Array.from(packet.dst) };
}

async function pick(file: string, frameNumber: number, sample: Omit<Sample, 'stored'>): Promise<void> {
  const frames = await loadFrames(datasetPath(file));
  samples.push({ ...sample, stored: frames[frameNumber - 1] });
  pool.push(...frames.slice(0, 200));
}

beforeAll(async () => {
  // Frame numbers as tshark lists them (`tshark -r FILE`).
  await pick('pcaps/chrissanders-packets/arppoison.pcapng.gz', 3, {
    name: 'Ethernet TCP SYN with options', linkHeader: 14, transportMinimum: 20, transportAnomaly: DecodeAnomaly.TRUNCATED_TCP,
  });
  await pick('pcaps/chrissanders-packets/http_espn.pcapng.gz', 1, {
    name: 'Ethernet UDP DNS query', linkHeader: 14, transportMinimum: 8, transportAnomaly: DecodeAnomaly.TRUNCATED_UDP,
  });
  await pick('pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz', 11, {
    name: 'Ethernet ICMP port unreachable', linkHeader: 14, transportMinimum: 8, transportAnomaly: DecodeAnomaly.TRUNCATED_ICMP,
  });
  await pick('pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz', 21, {
    name: 'raw-IP TCP HTTP request', linkHeader: 0, transportMinimum: 20, transportAnomaly: DecodeAnomaly.TRUNCATED_TCP,
  });
  await pick('pcaps/evilfingers-nmap/IP_PROTOCOL_SCAN.pcap.gz', 5, {
    name: 'Ethernet IGMP (no transport header parsed)', linkHeader: 14, transportMinimum: 0, transportAnomaly: DecodeAnomaly.TRUNCATED_IPV4,
  });
});

describe('truncated real frames (every prefix length)', () => {
  it('the samples are what their names say', () => {
    const packet = new DecodedPacket();
    const kinds = samples.map((sample) => {
      expect(decodeFrame(toFrame(sample.stored, new Frame()), packet, new DecodeAnomalies())).toBe(true);
      return `${packet.protocol}/${packet.icmpType}/${packet.payloadLength > 0}`;
    });
    expect(kinds).toEqual(['6/-1/false', '17/-1/true', '1/3/true', '6/-1/true', '2/-1/true']);
  });

  it('report the same sizes as the full frame once the headers are in, and the right anomaly before', () => {
    const frame = new Frame();
    const full = new DecodedPacket();
    const cut = new DecodedPacket();
    for (const sample of samples) {
      expect(decodeFrame(toFrame(sample.stored, frame), full, new DecodeAnomalies())).toBe(true);
      const ipHeaderEnd = sample.linkHeader + full.ipHeaderLength;
      const headersEnd = ipHeaderEnd + sample.transportMinimum;
      for (let length = 0; length <= sample.stored.bytes.length; length++) {
        const anomalies = new DecodeAnomalies();
        const decoded = decodeFrame(toFrame(sample.stored, frame, length), cut, anomalies);
        const label = `${sample.name}, ${length} of ${sample.stored.bytes.length} bytes`;
        if (length >= headersEnd) {
          expect(decoded, label).toBe(true);
          expect(snapshot(cut), label).toEqual(snapshot(full));
          expect(anomalies.total(), label).toBe(0);
          continue;
        }
        expect(decoded, label).toBe(false);
        const expected =
          length < sample.linkHeader ? DecodeAnomaly.TRUNCATED_ETHERNET
            : length < ipHeaderEnd ? DecodeAnomaly.TRUNCATED_IPV4
              : sample.transportAnomaly;
        expect(anomalies.toRecord(), label).toEqual({ [decodeAnomalyNames[expected]]: 1 });
      }
    }
  });

  it('an ARP frame is non_ip at every length that holds the Ethernet header', async () => {
    const frames = await loadFrames(datasetPath('pcaps/chrissanders-packets/arppoison.pcapng.gz'));
    // Frame 1 of arppoison is an ARP request (tshark: eth:ethertype:arp).
    const arp = frames.find((stored) => stored.bytes[12] === 0x08 && stored.bytes[13] === 0x06);
    expect(arp).toBeDefined();
    const frame = new Frame();
    const packet = new DecodedPacket();
    for (let length = 0; length <= arp!.bytes.length; length++) {
      const anomalies = new DecodeAnomalies();
      expect(decodeFrame(toFrame(arp!, frame, length), packet, anomalies)).toBe(false);
      expect(anomalies.toRecord()).toEqual(length < 14 ? { truncated_ethernet: 1 } : { non_ip: 1 });
      expect(packet.ipVersion).toBe(0);
    }
  });

  it('every field is reset when a non-IP frame follows an IP one', async () => {
    const frames = await loadFrames(datasetPath('pcaps/chrissanders-packets/arppoison.pcapng.gz'));
    const arp = frames.find((stored) => stored.bytes[12] === 0x08 && stored.bytes[13] === 0x06)!;
    const packet = new DecodedPacket();
    const frame = new Frame();
    expect(decodeFrame(toFrame(samples[0].stored, frame), packet, new DecodeAnomalies())).toBe(true);
    decodeFrame(toFrame(arp, frame), packet, new DecodeAnomalies());
    const fresh = snapshot(new DecodedPacket());
    expect({ ...snapshot(packet), timestampUs: 0, wireLength: 0 }).toEqual(fresh);
  });

  it('a bare IPv4 packet decodes the same under every raw-IP link type, and is refused under LINKTYPE_IPV6', () => {
    const raw = samples.find((sample) => sample.stored.linkType === LinkType.RAW)!;
    const frame = new Frame();
    const reference = new DecodedPacket();
    expect(decodeFrame(toFrame(raw.stored, frame), reference, new DecodeAnomalies())).toBe(true);
    for (const linkType of [LinkType.RAW_BSD12, LinkType.RAW_BSD14, LinkType.IPV4]) {
      const packet = new DecodedPacket();
      toFrame(raw.stored, frame).linkType = linkType;
      expect(decodeFrame(frame, packet, new DecodeAnomalies()), String(linkType)).toBe(true);
      expect(snapshot(packet)).toEqual(snapshot(reference));
    }
    const anomalies = new DecodeAnomalies();
    toFrame(raw.stored, frame).linkType = LinkType.IPV6;
    expect(decodeFrame(frame, new DecodedPacket(), anomalies)).toBe(false);
    expect(anomalies.toRecord()).toEqual({ bad_ip_version: 1 });
  });

  it('an unknown link type and a frame pointing outside its buffer are counted, not thrown', () => {
    const frame = toFrame(samples[0].stored, new Frame());
    const anomalies = new DecodeAnomalies();
    const packet = new DecodedPacket();
    frame.linkType = 127; // IEEE 802.11 radiotap: real, but not one we decode
    expect(decodeFrame(frame, packet, anomalies)).toBe(false);
    frame.linkType = LinkType.EN10MB;
    frame.offset = 10; // capturedLength unchanged, so the frame now runs past the buffer
    expect(decodeFrame(frame, packet, anomalies)).toBe(false);
    frame.offset = -1;
    expect(decodeFrame(frame, packet, anomalies)).toBe(false);
    expect(anomalies.toRecord()).toEqual({ unsupported_link_type: 1, bad_frame_bounds: 2 });
  });
});

describe('bit-flipped real frames (fast-check)', () => {
  it('never throw; every rejection counts exactly one skipping anomaly; accepted packets are self-consistent', () => {
    const { accepted, rejected, anomalies } = fuzzDecode(pool, 12_000, 20261121);
    // Both outcomes were exercised, and the failures spread over many anomaly names.
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
    expect(Object.keys(anomalies.toRecord()).length).toBeGreaterThanOrEqual(10);
  });

  it('random frame bounds never throw', () => {
    const packet = new DecodedPacket();
    const anomalies = new DecodeAnomalies();
    const frame = new Frame();
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: -100, max: 3000 }), fc.integer({ min: -100, max: 3000 }), (frameIndex, offset, length) => {
        toFrame(pool[frameIndex % pool.length], frame);
        frame.offset = offset;
        frame.capturedLength = length;
        const outside = offset < 0 || length < 0 || offset + length > frame.buffer.length;
        const bad = anomalies.get(DecodeAnomaly.BAD_FRAME_BOUNDS);
        const decoded = decodeFrame(frame, packet, anomalies);
        expect(anomalies.get(DecodeAnomaly.BAD_FRAME_BOUNDS) - bad).toBe(outside ? 1 : 0);
        if (outside) expect(decoded).toBe(false);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
