import { openCaptureFile } from '../../lib/capture/fileSource.ts';
import { DecodeAnomalies } from '../../lib/decode/anomalies.ts';
import { decodeFrame } from '../../lib/decode/decodeFrame.ts';
import { DecodedPacket } from '../../lib/decode/packet.ts';
import type { DetectorConfigInput } from '../../lib/detect/detectorConfig.ts';
import type { Incident } from '../../lib/detect/incident.ts';
import { RuleEngine } from '../../lib/detect/ruleEngine.ts';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { sharedDataset } from '../sharedDatasets.ts';

export { sharedDataset as sharedPcap };

export interface RuleRun {
  events: ThreatEvent[];
  /** Latest state of every incident, by id. */
  incidents: Map<string, Incident>;
  packets: number;
  engine: RuleEngine;
}

/** Replays a real capture through decode + the rule engine (packet clock), flushing at the end. */
export async function runRules(path: string, config: DetectorConfigInput = {}): Promise<RuleRun> {
  const events: ThreatEvent[] = [];
  const incidents = new Map<string, Incident>();
  const engine = new RuleEngine({
    config,
    onEvent: (event, incident) => {
      events.push(event);
      incidents.set(incident.id, incident);
    },
  });
  const { packets } = await feedCapture(path, engine);
  engine.flush();
  return { events, incidents, packets, engine };
}

/** Decodes a capture into an engine (no sweep, no flush); returns the packet count and the last packet time. */
export async function feedCapture(path: string, engine: RuleEngine): Promise<{ packets: number; lastUs: number }> {
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  let packets = 0;
  await openCaptureFile(path).run((frame) => {
    if (decodeFrame(frame, packet, anomalies)) {
      packets++;
      engine.observePacket(packet);
    }
  });
  return { packets, lastUs: packet.timestampUs };
}
