import { loadCap, type CapHandle, type CapStats } from './capBinding.ts';
import { CaptureError, CaptureErrorCode } from './errors.ts';
import { Frame, type FrameSink, type PacketSource, type SourceStats } from './frame.ts';
import { LinkType } from './linkTypes.ts';

export interface LiveCaptureOptions {
  /** Interface name as libpcap knows it ('lo', 'eth0', 'any'); see listInterfaces(). */
  interface: string;
  /** BPF expression (pcap-filter(7)); empty or absent captures everything. */
  filter?: string;
  /** Kernel capture buffer in bytes; default 256 MiB on loopback, 64 MiB elsewhere. */
  bufferSize?: number;
  /**
   * Bytes kept per packet, 1-65535 (default 512). Flow features read lengths from the IP header,
   * so headers are enough; a small snap length also makes libpcap's ring slots small, so the
   * kernel buffer holds hundreds of thousands of packets instead of a few thousand.
   */
  snapLength?: number;
}

export interface InterfaceInfo {
  name: string;
  description: string;
  /** IPv4/IPv6 addresses as text. */
  addresses: string[];
  isLoopback: boolean;
}

/**
 * cap opens devices in immediate mode, where libpcap's ring has fixed-size slots sized from the
 * snap length. At cap's old fixed 65535 a 256 MiB ring held ~4,000 loopback packets and a short
 * stall of the JS thread during a scan dropped packets; at the default 512 a 64 MiB ring holds
 * about 100,000 (a third of a second of a 330,000 packets/s hping3 flood on lo). The ring is
 * mapped into the process and counts in its RSS once a flood has filled it, so loopback gets
 * the same 64 MiB as other interfaces: 256 MiB alone took 295 MB of the server's 500 MB budget.
 */
const LOOPBACK_BUFFER_SIZE = 64 * 1024 * 1024;
const DEFAULT_BUFFER_SIZE = 64 * 1024 * 1024;
const MAX_SNAP_LENGTH = 65535;
const DEFAULT_SNAP_LENGTH = 512;
/** Buffer for the probe opens that check the device and filter before the real one. */
const PROBE_BUFFER_SIZE = 1024 * 1024;

/** The DLT names cap returns, as LINKTYPE_* values (DLT_RAW is 12 on Linux, LINKTYPE_RAW 101). */
const linkTypeByCapName: Readonly<Record<string, number>> = {
  ETHERNET: LinkType.EN10MB,
  NULL: LinkType.NULL,
  LINKTYPE_LINUX_SLL: LinkType.LINUX_SLL,
  RAW: LinkType.RAW,
  IEEE802_11_RADIO: 127,
};

export function linkTypeFromCapName(name: string): number {
  const known = linkTypeByCapName[name];
  if (known !== undefined) return known;
  // "Unknown linktype 276": DLT and LINKTYPE numbers agree for everything cap does not name.
  const match = /(\d+)\s*$/.exec(name);
  return match ? Number(match[1]) : -1;
}

/**
 * libpcap's pseudo-devices that carry no network packets (D-Bus messages, Bluetooth HCI,
 * netfilter log/queue messages, USB traffic): offered as capture sources they only confuse.
 */
const NOT_NETWORK_DEVICE = /^(dbus-|bluetooth|nflog$|nfqueue$|usbmon)/;

/** The devices that carry network packets: interfaces, 'any' and loopback. */
export function listInterfaces(): InterfaceInfo[] {
  return loadCap()
    .Cap.deviceList()
    .filter((device) => !NOT_NETWORK_DEVICE.test(device.name))
    .map((device) => ({
      name: device.name,
      description: device.description ?? '',
      addresses: device.addresses.map((address) => address.addr),
      isLoopback: device.flags === 'PCAP_IF_LOOPBACK',
    }));
}

/**
 * Live capture through libpcap (the `cap` module). Nothing is opened until run(); run() rejects
 * with a CaptureError for an unknown interface, missing permission or a bad filter, and
 * otherwise resolves with the final stats after stop().
 *
 * Frames carry libpcap's timestamp (taken by the kernel when the packet reached the capture
 * socket, µs) and the length on the wire, so a burst delivered to JS at once keeps its spacing.
 *
 * kernelReceived/kernelDropped are pcap_stats()'s ps_recv/ps_drop, read on each stats() call
 * while capturing and a last time in stop(). On Linux ps_recv counts packets that passed the
 * filter, including those then dropped; ps_drop counts those dropped because the capture
 * buffer was full. On loopback the kernel hands each packet to the capture socket twice (as
 * sent and as received) and counts both; libpcap discards the sent copy, so there
 * kernelReceived − kernelDropped is twice the frames delivered. Both are 32-bit and wrap.
 */
export function openInterface(options: LiveCaptureOptions): PacketSource {
  return new LiveSource(options);
}

class LiveSource implements PacketSource {
  readonly description: string;
  private handle: CapHandle | null = null;
  private frames = 0;
  private bytes = 0;
  private readonly anomalies: Record<string, number> = {};
  private kernelCounters: CapStats | null = null;
  private finish: (() => void) | null = null;
  private stopRequested = false;
  private sinkFailure: { error: unknown } | null = null;

  constructor(private readonly options: LiveCaptureOptions) {
    this.description = `interface:${options.interface}`;
  }

  async run(sink: FrameSink): Promise<SourceStats> {
    const { Cap } = loadCap();
    const device = this.findDevice();
    const filter = this.options.filter ?? '';
    checkPositiveInteger('bufferSize', this.options.bufferSize);
    checkPositiveInteger('snapLength', this.options.snapLength);
    const bufferSize = this.options.bufferSize ?? (device.isLoopback ? LOOPBACK_BUFFER_SIZE : DEFAULT_BUFFER_SIZE);
    const snapLength = Math.min(this.options.snapLength ?? DEFAULT_SNAP_LENGTH, MAX_SNAP_LENGTH);
    probe(device.name, filter);
    if (this.stopRequested) return this.stats();

    const buffer = Buffer.alloc(snapLength);
    const handle = new Cap();
    let capName: string;
    try {
      capName = handle.open(device.name, filter, bufferSize, buffer, snapLength);
    } catch (error) {
      handle.close(); // releases the half-opened libpcap handle now rather than at GC
      throw new CaptureError(
        CaptureErrorCode.LIVE_CAPTURE_FAILED,
        `cannot capture on ${device.name}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.handle = handle;
    const frame = new Frame();
    frame.linkType = linkTypeFromCapName(capName);
    frame.buffer = buffer;
    frame.offset = 0;
    frame.interfaceIndex = 0;
    const done = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    handle.on('packet', (capturedLength, _truncated, timestampSeconds, timestampMicroseconds, wireLength) => {
      if (this.stopRequested) return;
      frame.capturedLength = capturedLength;
      frame.originalLength = wireLength;
      frame.timestampUs = timestampSeconds * 1_000_000 + timestampMicroseconds;
      this.frames++;
      this.bytes += capturedLength;
      try {
        sink(frame);
      } catch (error) {
        this.sinkFailure = { error };
        this.stop();
      }
    });
    await done;
    if (this.sinkFailure !== null) throw this.sinkFailure.error;
    return this.stats();
  }

  stop(): void {
    this.stopRequested = true;
    const handle = this.handle;
    if (handle !== null) {
      this.readKernelCounters(handle);
      this.handle = null;
      handle.removeAllListeners('packet');
      handle.close();
    }
    this.finish?.();
  }

  stats(): SourceStats {
    if (this.handle !== null) this.readKernelCounters(this.handle);
    const stats: SourceStats = { frames: this.frames, bytes: this.bytes, anomalies: { ...this.anomalies } };
    if (this.kernelCounters !== null) {
      stats.kernelReceived = this.kernelCounters.received;
      stats.kernelDropped = this.kernelCounters.dropped;
    }
    return stats;
  }

  /** Keeps the last counters that could be read: a failed read must not lose a capture. */
  private readKernelCounters(handle: CapHandle): void {
    try {
      this.kernelCounters = handle.stats();
    } catch {
      this.anomalies.kernel_stats_failed = (this.anomalies.kernel_stats_failed ?? 0) + 1;
    }
  }

  private findDevice(): InterfaceInfo {
    const interfaces = listInterfaces();
    const device = interfaces.find((candidate) => candidate.name === this.options.interface);
    if (device === undefined) {
      throw new CaptureError(
        CaptureErrorCode.UNKNOWN_INTERFACE,
        `unknown interface "${this.options.interface}"; available: ${interfaces.map(describeInterface).join(', ')}`,
      );
    }
    return device;
  }
}

function describeInterface(device: InterfaceInfo): string {
  const addresses = device.addresses.length > 0 ? ` (${device.addresses.join(' ')})` : '';
  return `${device.name}${addresses}`;
}

function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0 || value > 0x7fffffff)) {
    throw new CaptureError(
      CaptureErrorCode.LIVE_CAPTURE_FAILED,
      `${name} must be a positive whole number of bytes below 2 GiB, got ${value}`,
    );
  }
}

/**
 * Opens the device briefly with a small buffer, to turn libpcap failures into precise errors
 * before the real open: first with the filter, and if that fails, without it, to tell a
 * device/permission problem from a bad filter (libpcap activates the device before compiling).
 */
function probe(device: string, filter: string): void {
  const failure = tryOpen(device, filter);
  if (failure === null) return;
  const deviceFailure = filter === '' ? failure : tryOpen(device, '');
  if (deviceFailure === null) {
    throw new CaptureError(
      CaptureErrorCode.BAD_FILTER,
      `bad capture filter "${filter}": ${failure}; see \`man pcap-filter\` for the syntax`,
    );
  }
  if (/permission|not permitted|EPERM|EACCES/i.test(deviceFailure)) {
    throw new CaptureError(
      CaptureErrorCode.PERMISSION_DENIED,
      `no permission to capture on ${device} (${deviceFailure}); run as root or grant the capability: ` +
        'sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))',
    );
  }
  if (/no such device/i.test(deviceFailure)) {
    throw new CaptureError(CaptureErrorCode.UNKNOWN_INTERFACE, `unknown interface "${device}": ${deviceFailure}`);
  }
  throw new CaptureError(CaptureErrorCode.LIVE_CAPTURE_FAILED, `cannot capture on ${device}: ${deviceFailure}`);
}

/** libpcap's message, or null when the device opened (and was closed again). */
function tryOpen(device: string, filter: string): string | null {
  const handle = new (loadCap().Cap)();
  try {
    handle.open(device, filter, PROBE_BUFFER_SIZE, Buffer.alloc(64));
  } catch (error) {
    handle.close();
    return (error as Error).message;
  }
  handle.close();
  return null;
}
