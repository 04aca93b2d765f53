/**
 * Checks an EVE record against Suricata's own schema (the vendored excerpt in
 * fixtures/suricata-eve-alert.schema.json, origin noted in it) and against what the Suricata
 * modules of log shippers rely on beyond the schema (the schema itself only requires
 * event_type and timestamp).
 *
 * The JSON Schema checker covers the keywords the excerpt uses and refuses any other, so a
 * refreshed schema with a new keyword fails loudly instead of being half-checked.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export type JsonSchema = { [keyword: string]: unknown };

export const eveSchema: JsonSchema = JSON.parse(
  readFileSync(new URL('./fixtures/suricata-eve-alert.schema.json', import.meta.url), 'utf8'),
) as JsonSchema;

/** Keywords that only annotate. */
const ANNOTATIONS = new Set(['$comment', 'description', 'suricata']);
const CHECKED = new Set(['type', 'additionalProperties', 'required', 'properties', 'pattern', 'enum', 'items', 'minItems']);

/** Every way `value` breaks `schema`, as "path: problem" lines; [] when it conforms. */
export function schemaErrors(value: unknown, schema: JsonSchema, path = '$'): string[] {
  const errors: string[] = [];
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !CHECKED.has(keyword)) throw new Error(`${path}: schema keyword "${keyword}" is not supported by this checker`);
  }
  const type = schema.type as string | undefined;
  if (type !== undefined && !hasType(value, type)) return [`${path}: expected ${type}, got ${JSON.stringify(value)}`];
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.pattern !== undefined && typeof value === 'string' && !new RegExp(schema.pattern as string, 'u').test(value)) {
    errors.push(`${path}: "${value}" does not match ${String(schema.pattern)}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < (schema.minItems as number)) errors.push(`${path}: fewer than ${String(schema.minItems)} items`);
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items as JsonSchema, `${path}[${i}]`)));
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in record)) errors.push(`${path}: missing required "${key}"`);
    for (const [key, item] of Object.entries(record)) {
      if (Object.hasOwn(properties, key)) errors.push(...schemaErrors(item, properties[key]!, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: "${key}" is not allowed`);
    }
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      throw new Error(`schema type "${type}" is not supported by this checker`);
  }
}

const EVE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})([+-])(\d{2})(\d{2})$/;
const PORTED = new Set(['TCP', 'UDP', 'SCTP']);

/** Milliseconds since the epoch of an EVE timestamp (with its offset applied), or NaN. */
export function eveTimeMs(text: string): number {
  const match = EVE_TIME.exec(text);
  if (match === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, micros, sign, oh, om] = match;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Number(micros) / 1000;
  return utc - (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
}

/**
 * The schema, plus every field an alert line must carry and what its value must look like for a
 * shipper's Suricata module: a microsecond timestamp with a ±hhmm offset, a positive flow_id every
 * JSON reader keeps exactly, real IP addresses, ports on port protocols only (as Suricata writes
 * ICMP), severity 1-3, whole non-negative counters, a flow start not after the alert.
 */
export function eveAlertErrors(record: unknown): string[] {
  const errors = schemaErrors(record, eveSchema);
  if (errors.length > 0) return errors;
  const line = record as Record<string, unknown> & { alert: Record<string, unknown>; flow: Record<string, unknown> };
  const need = (object: Record<string, unknown> | undefined, keys: string[], where: string) => {
    for (const key of keys) if (object === undefined || !(key in object)) errors.push(`${where}: missing "${key}"`);
  };
  need(line, ['timestamp', 'flow_id', 'event_type', 'src_ip', 'dest_ip', 'proto', 'alert', 'flow'], '$');
  need(line.alert, ['action', 'gid', 'signature_id', 'rev', 'signature', 'category', 'severity'], '$.alert');
  need(line.flow, ['pkts_toserver', 'pkts_toclient', 'bytes_toserver', 'bytes_toclient', 'start'], '$.flow');
  if (errors.length > 0) return errors;
  if (line.event_type !== 'alert') errors.push(`event_type is ${String(line.event_type)}`);
  for (const key of ['timestamp', 'start'] as const) {
    const text = (key === 'timestamp' ? line.timestamp : line.flow.start) as string;
    if (!EVE_TIME.test(text) || Number.isNaN(eveTimeMs(text))) errors.push(`${key} "${text}" is not YYYY-MM-DDTHH:MM:SS.uuuuuu±hhmm`);
  }
  if (eveTimeMs(line.flow.start as string) > eveTimeMs(line.timestamp as string)) errors.push('flow.start is after the alert');
  const flowId = line.flow_id as number;
  if (!Number.isSafeInteger(flowId) || flowId <= 0) errors.push(`flow_id ${flowId} is not a positive integer below 2^53`);
  for (const key of ['src_ip', 'dest_ip'] as const) if (isIP(line[key] as string) === 0) errors.push(`${key} "${String(line[key])}" is not an IP address`);
  const ported = PORTED.has(line.proto as string);
  for (const key of ['src_port', 'dest_port'] as const) {
    if (!ported) {
      if (key in line) errors.push(`${key} on a ${String(line.proto)} line`);
      continue;
    }
    const port = line[key];
    if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65_535) errors.push(`${key} ${String(port)} is not a port`);
  }
  if (!['TCP', 'UDP', 'SCTP', 'ICMP', 'IPv6-ICMP'].includes(line.proto as string) && !/^\d{1,3}$/.test(line.proto as string)) errors.push(`proto "${String(line.proto)}"`);
  if (line.alert.action !== 'allowed') errors.push(`alert.action ${String(line.alert.action)}`);
  if (![1, 2, 3].includes(line.alert.severity as number)) errors.push(`alert.severity ${String(line.alert.severity)}`);
  for (const key of ['gid', 'signature_id', 'rev'] as const) {
    if (!Number.isSafeInteger(line.alert[key]) || (line.alert[key] as number) <= 0) errors.push(`alert.${key} ${String(line.alert[key])}`);
  }
  for (const key of ['signature', 'category'] as const) if ((line.alert[key] as string).length === 0) errors.push(`alert.${key} is empty`);
  for (const key of ['pkts_toserver', 'pkts_toclient', 'bytes_toserver', 'bytes_toclient'] as const) {
    const count = line.flow[key];
    if (!Number.isSafeInteger(count) || (count as number) < 0) errors.push(`flow.${key} ${String(count)}`);
  }
  const metadata = line.alert.metadata as Record<string, unknown> | undefined;
  for (const [key, values] of Object.entries(metadata ?? {})) {
    if (!Array.isArray(values) || values.length === 0 || values.some((value) => typeof value !== 'string')) errors.push(`alert.metadata.${key} is not a list of strings`);
  }
  return errors;
}
