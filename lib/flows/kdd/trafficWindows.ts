/**
 * The KDD traffic features: rates over the connections of the last 2 seconds (features 23-31)
 * and over the last 100 connections (features 32-41). Each window keeps running counters per
 * destination host and per service, updated as connections enter and leave, so a connection
 * costs O(1) however large a flood gets. The current connection counts itself, as in the data.
 */

export interface WindowConnection {
  endUs: number;
  dstHost: string;
  service: string;
  srcPort: number;
  synError: boolean;
  rejectError: boolean;
}

class GroupCounts {
  count = 0;
  synErrors = 0;
  rejectErrors = 0;
  /** Per host: counts by service; per service: counts by host. */
  readonly byOther = new Map<string, number>();
  /** Per host only: counts by source port. */
  readonly bySrcPort = new Map<number, number>();
}

function bump<K>(map: Map<K, number>, key: K, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

class CountingWindow {
  readonly hosts = new Map<string, GroupCounts>();
  readonly services = new Map<string, GroupCounts>();

  protected apply(c: WindowConnection, delta: number): void {
    const host = group(this.hosts, c.dstHost, delta);
    host.count += delta;
    if (c.synError) host.synErrors += delta;
    if (c.rejectError) host.rejectErrors += delta;
    bump(host.byOther, c.service, delta);
    bump(host.bySrcPort, c.srcPort, delta);
    if (host.count === 0) this.hosts.delete(c.dstHost);

    const service = group(this.services, c.service, delta);
    service.count += delta;
    if (c.synError) service.synErrors += delta;
    if (c.rejectError) service.rejectErrors += delta;
    bump(service.byOther, c.dstHost, delta);
    if (service.count === 0) this.services.delete(c.service);
  }
}

function group(map: Map<string, GroupCounts>, key: string, delta: number): GroupCounts {
  let counts = map.get(key);
  if (counts === undefined) {
    counts = new GroupCounts();
    if (delta > 0) map.set(key, counts);
  }
  return counts;
}

/**
 * Connections whose end lies within `spanUs` of the latest end seen. Flows finish out of order
 * (a long download ends after many short lookups that started later), so entries sit in a
 * min-heap by end time and leave by time, not by arrival.
 */
class TimeWindow extends CountingWindow {
  private readonly heap: WindowConnection[] = [];
  private clockUs = -Infinity;

  constructor(private readonly spanUs: number) {
    super();
  }

  add(c: WindowConnection): void {
    if (c.endUs > this.clockUs) this.clockUs = c.endUs;
    const horizon = this.clockUs - this.spanUs;
    while (this.heap.length > 0 && this.heap[0]!.endUs < horizon) this.apply(this.popOldest(), -1);
    this.apply(c, 1);
    this.push(c);
  }

  private push(c: WindowConnection): void {
    const heap = this.heap;
    let i = heap.push(c) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.endUs <= c.endUs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = c;
  }

  private popOldest(): WindowConnection {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right]!.endUs < heap[left]!.endUs ? right : left;
        if (heap[child]!.endUs >= last.endUs) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

/** The last `capacity` connections in the order they finished. */
class LastNWindow extends CountingWindow {
  private readonly ring: (WindowConnection | undefined)[];
  private next = 0;

  constructor(capacity: number) {
    super();
    this.ring = new Array<WindowConnection | undefined>(capacity);
  }

  add(c: WindowConnection): void {
    const leaving = this.ring[this.next];
    if (leaving !== undefined) this.apply(leaving, -1);
    this.ring[this.next] = c;
    this.next = (this.next + 1) % this.ring.length;
    this.apply(c, 1);
  }
}

const rate = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/** The 19 traffic features in NSL-KDD column order (count ... dst_host_srv_rerror_rate). */
export const trafficFeatureNames = [
  'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate',
  'same_srv_rate', 'diff_srv_rate', 'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count',
  'dst_host_same_srv_rate', 'dst_host_diff_srv_rate', 'dst_host_same_src_port_rate',
  'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate',
  'dst_host_rerror_rate', 'dst_host_srv_rerror_rate',
] as const;

export class TrafficWindows {
  private readonly recent: TimeWindow;
  private readonly lastConnections: LastNWindow;

  constructor(options: { timeWindowUs?: number; connectionWindow?: number } = {}) {
    this.recent = new TimeWindow(options.timeWindowUs ?? 2_000_000);
    this.lastConnections = new LastNWindow(options.connectionWindow ?? 100);
  }

  /** Adds the connection (the windows keep it: pass a new object each time) and writes its features. */
  observe(c: WindowConnection, out: Float64Array, offset: number): void {
    this.recent.add(c);
    this.lastConnections.add(c);

    const host = this.recent.hosts.get(c.dstHost)!;
    const service = this.recent.services.get(c.service)!;
    const sameServiceOnHost = host.byOther.get(c.service) ?? 0;
    out[offset] = host.count;
    out[offset + 1] = service.count;
    out[offset + 2] = rate(host.synErrors, host.count);
    out[offset + 3] = rate(service.synErrors, service.count);
    out[offset + 4] = rate(host.rejectErrors, host.count);
    out[offset + 5] = rate(service.rejectErrors, service.count);
    out[offset + 6] = rate(sameServiceOnHost, host.count);
    out[offset + 7] = rate(host.count - sameServiceOnHost, host.count);
    out[offset + 8] = rate(service.count - (service.byOther.get(c.dstHost) ?? 0), service.count);

    const dstHost = this.lastConnections.hosts.get(c.dstHost)!;
    const dstService = this.lastConnections.services.get(c.service)!;
    const dstSameService = dstHost.byOther.get(c.service) ?? 0;
    out[offset + 9] = dstHost.count;
    out[offset + 10] = dstService.count;
    out[offset + 11] = rate(dstSameService, dstHost.count);
    out[offset + 12] = rate(dstHost.count - dstSameService, dstHost.count);
    out[offset + 13] = rate(dstHost.bySrcPort.get(c.srcPort) ?? 0, dstHost.count);
    out[offset + 14] = rate(dstService.count - (dstService.byOther.get(c.dstHost) ?? 0), dstService.count);
    out[offset + 15] = rate(dstHost.synErrors, dstHost.count);
    out[offset + 16] = rate(dstService.synErrors, dstService.count);
    out[offset + 17] = rate(dstHost.rejectErrors, dstHost.count);
    out[offset + 18] = rate(dstService.rejectErrors, dstService.count);
  }
}
