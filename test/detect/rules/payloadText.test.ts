import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../../lib/capture/fileSource.ts';
import { DecodeAnomalies } from '../../../lib/decode/anomalies.ts';
import { decodeFrame } from '../../../lib/decode/decodeFrame.ts';
import { DecodedPacket } from '../../../lib/decode/packet.ts';
import { httpStatus, isFtpLoginCommand, isHttpRequest, isSshBanner, replyCode } from '../../../lib/detect/rules/payloadText.ts';
import { sharedCapture } from './replayRules.ts';

const run = promisify(execFile);

/** Frame numbers tshark selects with a display filter, each segment dissected on its own (no reassembly; retransmissions too). */
async function tsharkFrames(path: string, filter: string, field = 'frame.number'): Promise<string[]> {
  const { stdout } = await run('tshark', ['-r', path, '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-o', 'tcp.analyze_sequence_numbers:FALSE', '-Y', filter, '-T', 'fields', '-e', 'frame.number', ...(field === 'frame.number' ? [] : ['-e', field])], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.split('\n').filter((line) => line !== '').map((line) => line.replace('\t', ' '));
}

/** Frame numbers (with a value) our readers pick from the decoded payloads. */
async function ourFrames(path: string, pick: (bytes: Uint8Array, start: number, length: number) => string | null): Promise<string[]> {
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  const frames: string[] = [];
  let number = 0;
  await openCaptureFile(path).run((frame) => {
    number++;
    if (!decodeFrame(frame, packet, anomalies) || packet.protocol !== 6) return;
    const value = pick(packet.frameBytes, packet.payloadOffset, packet.payloadCapturedLength);
    if (value !== null) frames.push(value === '' ? String(number) : `${number} ${value}`);
  });
  return frames;
}

const ftpCrack = sharedCapture('pcaps/ppa-markofu/ftp-crack.pcap.gz');
const ftp = sharedCapture('pcaps/ppa-markofu/ftp.pcap.gz');
const sshBrute = sharedCapture('pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz');
const hydra = sharedCapture('pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz');
const espn = sharedCapture('pcaps/chrissanders-packets/http_espn.pcapng.gz');

describe('payload readers agree with tshark on real captures, frame by frame', () => {
  it.each([sshBrute, ftpCrack])('SSH identification strings in %s', async (path) => {
    const ours = await ourFrames(path, (b, s, l) => (isSshBanner(b, s, l) ? '' : null));
    expect(ours).toEqual(await tsharkFrames(path, 'tcp.payload[0:4] == "SSH-"'));
  });

  it.each([ftpCrack, ftp])('FTP reply codes and USER/PASS in %s', async (path) => {
    const codes = await ourFrames(path, (b, s, l) => {
      const code = replyCode(b, s, l);
      return code > 0 ? String(code) : null;
    });
    // Every reply line tshark sees (a 3-digit code and a space or dash at the start of a segment).
    const reference = await tsharkFrames(path, 'tcp.payload matches "^[1-5][0-9][0-9][ -]"', 'tcp.payload');
    expect(codes).toEqual(reference.map((line) => {
      const [frame, hex] = line.split(' ');
      return `${frame} ${Buffer.from(hex.slice(0, 6), 'hex').toString('latin1')}`;
    }));
    const logins = await ourFrames(path, (b, s, l) => (isFtpLoginCommand(b, s, l) ? '' : null));
    expect(logins).toEqual(await tsharkFrames(path, 'ftp.request.command == "USER" || ftp.request.command == "PASS"'));
  });

  it.each([hydra, espn])('HTTP request lines and response status codes in %s', async (path) => {
    const requests = await ourFrames(path, (b, s, l) => (isHttpRequest(b, s, l) ? '' : null));
    expect(requests.length).toBeGreaterThan(10);
    // http.request, or a segment starting with a method whose request line runs past it (tshark
    // then calls it a continuation; http_espn frame 861, a 1,400-byte analytics URL).
    expect(requests).toEqual(await tsharkFrames(path, 'http.request || tcp.payload matches "^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) "'));
    const statuses = await ourFrames(path, (b, s, l) => {
      const status = httpStatus(b, s, l);
      return status > 0 ? String(status) : null;
    });
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses).toEqual(await tsharkFrames(path, 'http.response', 'http.response.code'));
  });
});
