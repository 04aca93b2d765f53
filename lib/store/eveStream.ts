/**
 * Stored alerts as Suricata EVE JSON lines (NDJSON), streamed from SQLite row by row like the CSV
 * report: oldest first, one `alert` record per stored threat (eveAlert.ts), in ~64 K-character
 * writes that wait for 'drain'.
 */
import type { Writable } from 'node:stream';
import type { Severity, ThreatCategory, ThreatEvent } from '../detect/threatEvent.ts';
import { eveAlertLine } from './eveAlert.ts';
import type { Store } from './store.ts';
import { type ExportStreamOptions, streamExportRows, threatExportFilter, type ThreatExportQuery } from './threatExport.ts';
import { type StoredThreat, THREAT_COLUMNS, threatFromRaw, type ThreatRaw } from './threatRow.ts';

export type EveAlertsQuery = ThreatExportQuery;

export type EveAlertsOptions = ExportStreamOptions;

const EVE_COLUMNS =
  `${THREAT_COLUMNS}, rep_flow_id, rep_source_ip, rep_destination_ip, rep_source_port, rep_destination_port, ` +
  'rep_packets_to_server, rep_packets_to_client, rep_bytes_to_server, rep_bytes_to_client, rep_start';

type EveRaw = [
  ...threat: ThreatRaw,
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
  const alerts = await streamExportRows<EveRaw>(
    store,
    { sql, params },
    writable,
    { header: '', line: (raw) => `${eveAlertLine(eventFromRaw(raw), { sessionId: raw[1] })}\n`, what: 'EVE export' },
    options,
  );
  return { alerts };
}

function eventFromRaw(raw: EveRaw): ThreatEvent {
  const { sessionId: _sessionId, ...event }: StoredThreat = threatFromRaw(raw as unknown as ThreatRaw);
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
