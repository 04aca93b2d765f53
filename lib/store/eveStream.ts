/**
 * Stored alerts as Suricata EVE JSON lines (NDJSON), streamed from SQLite row by row like the CSV
 * report: oldest first, one `alert` record per stored threat (eveAlert.ts), in ~64 K-character
 * writes that wait for 'drain'.
 */
import type { Writable } from 'node:stream';
import type { Severity, ThreatCategory, ThreatEvent } from '../detect/threatEvent.ts';
import { eveAlertLine } from './eveAlert.ts';
import type { Store } from './store.ts';
import { endWritable, threatExportFilter, type ThreatExportQuery, withSnapshotReader, writeChunk } from './threatExport.ts';

export type EveAlertsQuery = ThreatExportQuery;

export interface EveAlertsOptions {
  /** End the writable when done (default true). */
  end?: boolean;
  /** Characters gathered before each write (default 64 Ki). */
  chunkChars?: number;
}

const EVE_COLUMNS =
  'id, session_id, time, source_ip, destination_ip, destination_port, protocol, threat_type, category, severity, ' +
  'confidence, detector, model_version, flow_id, incident_id, summary, rep_flow_id, rep_source_ip, rep_destination_ip, ' +
  'rep_source_port, rep_destination_port, rep_packets_to_server, rep_packets_to_client, rep_bytes_to_server, ' +
  'rep_bytes_to_client, rep_start';

type EveRaw = [
  id: string,
  sessionId: string,
  time: number,
  sourceIp: string,
  destinationIp: string,
  destinationPort: number,
  protocol: string,
  threatType: string,
  category: ThreatCategory,
  severity: Severity,
  confidence: number,
  detector: string,
  modelVersion: string,
  flowId: string,
  incidentId: string,
  summary: string,
  // NULL on rows stored before schema version 3.
  representativeFlowId: string | null,
  representativeSourceIp: string | null,
  representativeDestinationIp: string | null,
  representativeSourcePort: number | null,
  representativeDestinationPort: number | null,
  packetsToServer: number | null,
  packetsToClient: number | null,
  bytesToServer: number | null,
  bytesToClient: number | null,
  startMs: number | null,
];

/** Writes every matching stored alert as one EVE line. Rejects if the writable errors or closes early. */
export async function streamEveAlerts(
  store: Store,
  query: EveAlertsQuery,
  writable: Writable,
  options: EveAlertsOptions = {},
): Promise<{ alerts: number }> {
  const { where, params } = threatExportFilter(query, 'EVE export');
  const sql = `SELECT ${EVE_COLUMNS} FROM threats${where} ORDER BY time, rowid`;
  const chunkChars = options.chunkChars ?? 65_536;
  let alerts = 0;
  await withSnapshotReader(store, async (reader) => {
    let chunk = '';
    for (const raw of reader.prepare(sql).raw(true).iterate(...params) as IterableIterator<EveRaw>) {
      chunk += `${eveAlertLine(eventFromRaw(raw), { sessionId: raw[1] })}\n`;
      alerts++;
      if (chunk.length >= chunkChars) {
        await writeChunk(writable, chunk, 'EVE export');
        chunk = '';
      }
    }
    if (chunk.length > 0) await writeChunk(writable, chunk, 'EVE export');
    if (options.end ?? true) await endWritable(writable);
  });
  return { alerts };
}

function eventFromRaw(raw: EveRaw): ThreatEvent {
  const event: ThreatEvent = {
    id: raw[0],
    time: raw[2],
    sourceIp: raw[3],
    destinationIp: raw[4],
    destinationPort: raw[5],
    protocol: raw[6],
    threatType: raw[7],
    category: raw[8],
    severity: raw[9],
    confidence: raw[10],
    detector: raw[11],
    modelVersion: raw[12],
    flowId: raw[13],
    incidentId: raw[14],
    summary: raw[15],
  };
  if (raw[17] !== null) {
    event.representativeFlow = {
      flowId: raw[16] ?? '',
      sourceIp: raw[17],
      destinationIp: raw[18] ?? '',
      sourcePort: raw[19] ?? 0,
      destinationPort: raw[20] ?? raw[5],
      packetsToServer: raw[21] ?? 0,
      packetsToClient: raw[22] ?? 0,
      bytesToServer: raw[23] ?? 0,
      bytesToClient: raw[24] ?? 0,
      startMs: raw[25] ?? raw[2],
    };
  }
  return event;
}
