import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureAnomaly, CaptureError, CaptureErrorCode, LinkType, openCaptureFile } from '../../lib/capture/index.ts';
import { pcapToBigEndian, pcapngToBigEndian } from './byteOrder.ts';
import { rewriteInterfaceTimes, type TimeOptions } from './pcapngRewrite.ts';
import { recordFrame, summariseSource, type FrameRecord } from './readAll.ts';
import { capinfosTable, runTool, tsharkSummary, type CapinfosRow } from './tshark.ts';
import { SHARED_DATASETS } from '../sharedDatasets.ts';

const datasets = SHARED_DATASETS;
const captureName = /\.(pcap|pcapng|cap|pcap_)\.gz$/;
const captureFiles = ['pcaps', 'cicflowmeter-reference'].flatMap((folder) =>
  readdirSync(join(datasets, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => captureName.test(name))
    .map((name) => join(folder, name))
    .sort(),
);
const dataset = (relative: string): string => join(datasets, relative);
const HYDRA = 'pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz';
const FTP_CRACK = 'pcaps/ppa-markofu/ftp-crack.pcap.gz';
/** 672 frames: small enough that the tshark runs stay quick. */
const SSH_SMALL = 'pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz';
const HTTP_ESPN = 'pcaps/chrissanders-packets/http_espn.pcapng.gz';

let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'netguard-capture-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Writes the uncompressed bytes of a dataset capture into the scratch folder. */
function unpack(relative: string, name: string): string {
  const path = join(scratch, name);
  writeFileSync(path, gunzipSync(readFileSync(dataset(relative))));
  return path;
}

/**
 * Our reading of `path` against Wireshark's: capinfos (fast, no dissection) for count, bytes and
 * time range, and tshark for first/last only when the file is out of time order.
 */
async function expectSameAsReference(path: string): Promise<Awaited<ReturnType<typeof summariseSource>>> {
  const [ours, table] = await Promise.all([summariseSource(openCaptureFile(path)), capinfosTable([path])]);
  const reference = table.get(path);
  expect(reference).toBeDefined();
  if (reference === undefined) return ours;
  expect(reference.frames).toBeGreaterThan(0);
  expect(ours.summary.frames).toBe(reference.frames);
  expect(ours.stats.frames).toBe(reference.frames);
  expect(ours.summary.capturedBytes).toBe(reference.capturedBytes);
  expect(ours.stats.bytes).toBe(reference.capturedBytes);
  expect(ours.summary.earliestUs).toBe(reference.earliestUs);
  expect(ours.summary.latestUs).toBe(reference.latestUs);
  const order = reference.chronological
    ? { firstUs: reference.earliestUs, lastUs: reference.latestUs }
    : await tsharkSummary(path);
  expect(ours.summary.firstUs).toBe(order.firstUs);
  expect(ours.summary.lastUs).toBe(order.lastUs);
  return ours;
}

async function collectFrames(path: string): Promise<FrameRecord[]> {
  const frames: FrameRecord[] = [];
  await openCaptureFile(path).run((frame) => {
    frames.push(recordFrame(frame));
  });
  return frames;
}

describe('openCaptureFile on every shared capture, against capinfos and tshark', () => {
  let table = new Map<string, CapinfosRow>();
  beforeAll(async () => {
    table = await capinfosTable(captureFiles.map(dataset));
  });

  it('finds the shared captures', () => {
    expect(captureFiles.length).toBeGreaterThanOrEqual(30);
    expect(captureFiles.some((name) => name.endsWith('.pcapng.gz'))).toBe(true);
    expect(captureFiles).toContain('pcaps/honeynet/attack-trace.pcap_.gz');
    expect(table.size).toBe(captureFiles.length);
  });

  it.concurrent.each(captureFiles)('%s: frame count, captured bytes, first/last/earliest/latest timestamp', async (relative) => {
    const reference = table.get(dataset(relative));
    expect(reference).toBeDefined();
    if (reference === undefined) return;
    const { summary, stats } = await summariseSource(openCaptureFile(dataset(relative)));
    expect(reference.frames).toBeGreaterThan(0);
    expect(stats.frames).toBe(reference.frames);
    expect(summary.frames).toBe(reference.frames);
    expect(stats.bytes).toBe(reference.capturedBytes);
    expect(summary.capturedBytes).toBe(reference.capturedBytes);
    expect(summary.earliestUs).toBe(reference.earliestUs);
    expect(summary.latestUs).toBe(reference.latestUs);
    // capinfos gives earliest/latest; they are first/last only when the file is in time order.
    const order = reference.chronological
      ? { firstUs: reference.earliestUs, lastUs: reference.latestUs }
      : await tsharkSummary(dataset(relative));
    expect(summary.firstUs).toBe(order.firstUs);
    expect(summary.lastUs).toBe(order.lastUs);
    expect(stats.anomalies).toEqual({});
    expect(stats.truncated).toBe(false);
  });
});

describe('link types and formats', () => {
  it('delivers the hydra capture as RAW IP frames (capinfos says Raw IP)', async () => {
    const info = await runTool('capinfos', ['-E', dataset(HYDRA)]);
    expect(info).toMatch(/Raw IP/);
    const frames = await collectFrames(dataset(HYDRA));
    expect(frames.length).toBeGreaterThan(0);
    expect(new Set(frames.map((frame) => frame.linkType))).toEqual(new Set([LinkType.RAW]));
    // A raw-IP frame starts with the IPv4 version nibble; an Ethernet one would not, usually.
  });

  it('reads a nanosecond pcap (editcap -F nsecpcap, shifted by 789 ns) flooring to µs like Wireshark', async () => {
    const source = unpack(SSH_SMALL, 'ssh.pcap');
    const nano = join(scratch, 'ssh-ns.pcap');
    await runTool('editcap', ['-F', 'nsecpcap', '-t', '0.000000789', source, nano]);
    expect(readFileSync(nano).readUInt32LE(0)).toBe(0xa1b23c4d);
    await expectSameAsReference(nano);
    const micro = await collectFrames(source);
    const nanoFrames = await collectFrames(nano);
    expect(nanoFrames.map((frame) => frame.contentHash)).toEqual(micro.map((frame) => frame.contentHash));
    // 789 ns is below a microsecond: flooring must give back the original µs timestamps.
    expect(nanoFrames.map((frame) => frame.timestampUs)).toEqual(micro.map((frame) => frame.timestampUs));
  });

  it('reads a nanosecond-resolution pcapng (if_tsresol = 9) like Wireshark', async () => {
    const source = unpack(SSH_SMALL, 'ssh-2.pcap');
    const nano = join(scratch, 'ssh-ns2.pcap');
    const nanoNg = join(scratch, 'ssh-ns.pcapng');
    await runTool('editcap', ['-F', 'nsecpcap', '-t', '0.000000999', source, nano]);
    await runTool('editcap', ['-F', 'pcapng', nano, nanoNg]);
    const info = await runTool('capinfos', ['-M', nanoNg]);
    expect(info).toMatch(/nanoseconds \(9\)/);
    await expectSameAsReference(nanoNg);
  });

  it.each<[string, TimeOptions]>([
    ['a binary resolution (if_tsresol 2^-20)', { resolution: 0x80 | 20 }],
    ['if_tsoffset of 1,000,000 s', { offsetSeconds: 1_000_000n }],
    ['a negative if_tsoffset with ns resolution', { resolution: 9, offsetSeconds: -86_400n }],
  ])('reads a pcapng whose interface has %s like Wireshark', async (_label, options) => {
    const source = unpack(HTTP_ESPN, 'espn-for-times.pcapng');
    const normalised = join(scratch, 'espn-normalised.pcapng');
    await runTool('editcap', ['-F', 'pcapng', source, normalised]);
    const rewritten = join(scratch, `espn-times-${String(options.resolution)}-${String(options.offsetSeconds)}.pcapng`);
    writeFileSync(rewritten, rewriteInterfaceTimes(readFileSync(normalised), options));
    await expectSameAsReference(rewritten);
  });

  it('reads a big-endian pcap (real capture byte-swapped in the test) like Wireshark, same frames as the original', async () => {
    const source = unpack(SSH_SMALL, 'ssh-le.pcap');
    const bigEndian = join(scratch, 'ssh-be.pcap');
    writeFileSync(bigEndian, pcapToBigEndian(readFileSync(source)));
    expect(readFileSync(bigEndian).readUInt32BE(0)).toBe(0xa1b2c3d4);
    await expectSameAsReference(bigEndian);
    expect(await collectFrames(bigEndian)).toEqual(await collectFrames(source));
  });

  it('reads a big-endian pcapng like Wireshark, and a file whose second section switches byte order', async () => {
    const source = unpack(HTTP_ESPN, 'espn.pcapng');
    const rewritten = join(scratch, 'espn-le.pcapng');
    // Normalise to what editcap writes (SHB, IDB, EPB only) before swapping.
    await runTool('editcap', ['-F', 'pcapng', source, rewritten]);
    const littleEndian = readFileSync(rewritten);
    const bigEndianBytes = pcapngToBigEndian(littleEndian);
    const bigEndian = join(scratch, 'espn-be.pcapng');
    writeFileSync(bigEndian, bigEndianBytes);
    expect(Buffer.from(bigEndianBytes.subarray(8, 12)).toString('hex')).toBe('1a2b3c4d');
    await expectSameAsReference(bigEndian);
    const original = await collectFrames(rewritten);
    expect(await collectFrames(bigEndian)).toEqual(original);

    const twoSections = join(scratch, 'espn-le-then-be.pcapng');
    writeFileSync(twoSections, Buffer.concat([littleEndian, bigEndianBytes]));
    const both = await collectFrames(twoSections);
    expect(both).toEqual([...original, ...original]);
    const reference = await tsharkSummary(twoSections);
    expect(reference.frames).toBe(both.length);
  });

  it('reads a pcapng with two interfaces of different link types (mergecap of RAW and Ethernet captures)', async () => {
    const raw = unpack(HYDRA, 'hydra.pcap');
    const ethernet = unpack(SSH_SMALL, 'ssh-3.pcap');
    const merged = join(scratch, 'merged.pcapng');
    await runTool('mergecap', ['-F', 'pcapng', '-w', merged, raw, ethernet]);
    const { summary } = await expectSameAsReference(merged);
    const reference = await tsharkSummary(merged);
    expect(summary.framesPerInterface).toEqual(reference.framesPerInterface);
    expect(summary.framesPerInterface.size).toBe(2);
    const linkTypes = new Set(summary.linkTypePerInterface.values());
    expect(linkTypes).toEqual(new Set([LinkType.RAW, LinkType.EN10MB]));
    // Each interface keeps its own link type: RAW frames are hydra's, Ethernet frames ssh_brute_force's.
    const rawFrames = (await collectFrames(merged)).filter((frame) => frame.linkType === LinkType.RAW);
    expect(rawFrames.length).toBe((await collectFrames(raw)).length);
  });

  it('still delivers frames whose link type is not one we decode (editcap -T ieee-802-11)', async () => {
    const source = unpack('pcaps/ppa-markofu/ftp.pcap.gz', 'ftp.pcap');
    const wifi = join(scratch, 'ftp-80211.pcap');
    await runTool('editcap', ['-F', 'pcap', '-T', 'ieee-802-11', source, wifi]);
    const frames = await collectFrames(wifi);
    expect(frames.length).toBe((await tsharkSummary(wifi)).frames);
    expect(new Set(frames.map((frame) => frame.linkType))).toEqual(new Set([105]));
  });
});

describe('damaged files and file errors', () => {
  async function expectCaptureError(path: string, code: string, message: RegExp): Promise<CaptureError> {
    const failure = await openCaptureFile(path)
      .run(() => undefined)
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(CaptureError);
    expect((failure as CaptureError).code).toBe(code);
    expect((failure as CaptureError).message).toMatch(message);
    expect((failure as CaptureError).message).not.toMatch(/\n/);
    return failure as CaptureError;
  }

  it('rejects a missing file with FILE_NOT_FOUND', async () => {
    await expectCaptureError(join(scratch, 'nope.pcap'), CaptureErrorCode.FILE_NOT_FOUND, /not found: .*nope\.pcap/);
  });

  it('rejects a directory with FILE_UNREADABLE', async () => {
    const folder = join(scratch, 'a-folder.pcap');
    mkdirSync(folder);
    await expectCaptureError(folder, CaptureErrorCode.FILE_UNREADABLE, /directory/);
  });

  it('rejects an empty file with EMPTY_FILE', async () => {
    const empty = join(scratch, 'empty.pcap');
    writeFileSync(empty, new Uint8Array(0));
    await expectCaptureError(empty, CaptureErrorCode.EMPTY_FILE, /empty/);
  });

  it('rejects a text file and a gzipped CSV with NOT_A_CAPTURE_FILE, naming what was expected and never the file\'s bytes', async () => {
    const sources = join(datasets, 'SOURCES.md');
    const sourcesHead = readFileSync(sources).subarray(0, 4).toString('hex').replace(/(..)(?!$)/g, '$1 ');
    const error = await expectCaptureError(sources, CaptureErrorCode.NOT_A_CAPTURE_FILE, new RegExp(`\\(${statSync(sources).size} bytes\\).*0a0d0d0a \\(pcapng\\)`));
    expect(error.message).not.toContain(sourcesHead);
    expect(error.message).not.toContain(readFileSync(sources, 'utf8').slice(0, 12));
    const csv = dataset('cicflowmeter-reference/latria-kure-sample/sample.csv.gz');
    const csvHead = gunzipSync(readFileSync(csv)).subarray(0, 4).toString('hex').replace(/(..)(?!$)/g, '$1 ');
    const inner = await expectCaptureError(csv, CaptureErrorCode.NOT_A_CAPTURE_FILE, /inside its gzip/);
    expect(inner.message).not.toContain(csvHead);
  });

  it('rejects a gzip whose deflate data was damaged with CORRUPT_GZIP', async () => {
    const bytes = readFileSync(dataset(FTP_CRACK));
    const damaged = bytes.slice();
    for (let i = 1000; i < 1400; i++) damaged[i] ^= 0x5a;
    const path = join(scratch, 'damaged.pcap.gz');
    writeFileSync(path, damaged);
    await expectCaptureError(path, CaptureErrorCode.CORRUPT_GZIP, /corrupt gzip/);
  });

  it('reads a cut gzip up to the cut: truncated_gzip warning, not an error', async () => {
    const bytes = readFileSync(dataset(FTP_CRACK));
    const path = join(scratch, 'cut.pcap.gz');
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const { stats } = await summariseSource(openCaptureFile(path));
    const full = (await capinfosTable([dataset(FTP_CRACK)])).get(dataset(FTP_CRACK)) ?? { frames: 0 };
    expect(stats.truncated).toBe(true);
    expect(stats.anomalies[CaptureAnomaly.TRUNCATED_GZIP]).toBe(1);
    expect(stats.frames).toBeGreaterThan(0);
    expect(stats.frames).toBeLessThan(full.frames);
  });

  it('reads a pcap cut in the middle of a record: same frames as tshark, one truncated_record', async () => {
    const whole = gunzipSync(readFileSync(dataset(SSH_SMALL)));
    const path = join(scratch, 'cut-mid-record.pcap');
    // 24-byte header + a record header: cutting 7 bytes after an odd offset lands inside some record.
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.61) + 7));
    const [ours, reference] = await Promise.all([summariseSource(openCaptureFile(path)), tsharkSummary(path)]);
    expect(ours.stats.frames).toBe(reference.frames);
    expect(ours.stats.bytes).toBe(reference.capturedBytes);
    expect(ours.stats.truncated).toBe(true);
    expect(ours.stats.anomalies).toEqual({ [CaptureAnomaly.TRUNCATED_RECORD]: 1 });
  });

  it('reads a pcapng cut in the middle of a block: same frames as tshark, one truncated_record', async () => {
    const whole = gunzipSync(readFileSync(dataset(HTTP_ESPN)));
    const path = join(scratch, 'cut-mid-block.pcapng');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.43) + 5));
    const [ours, reference] = await Promise.all([summariseSource(openCaptureFile(path)), tsharkSummary(path)]);
    expect(ours.stats.frames).toBe(reference.frames);
    expect(ours.stats.truncated).toBe(true);
    expect(ours.stats.anomalies).toEqual({ [CaptureAnomaly.TRUNCATED_RECORD]: 1 });
  });

  it('passes an error thrown by the sink through unchanged', async () => {
    const failure = new Error('sink failed');
    const outcome = await openCaptureFile(dataset(FTP_CRACK))
      .run(() => {
        throw failure;
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(outcome).toBe(failure);
  });

  it('stop() from inside the sink ends the run at once', async () => {
    const source = openCaptureFile(dataset(FTP_CRACK));
    let seen = 0;
    const stats = await source.run(() => {
      seen++;
      if (seen === 100) source.stop();
    });
    expect(seen).toBe(100);
    expect(stats.frames).toBe(100);
    source.stop();
  });
});
