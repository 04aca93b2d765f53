import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { streamThreatReport } from '../../lib/store/reportCsv.ts';
import { startSession } from '../../lib/store/startSession.ts';
import { attackCaptures } from './attackCaptures.ts';
import { threatsFromCapture } from './realEvents.ts';
import { tempDatabasePath } from './tempStore.ts';

const TOTAL = 200_000;

describe('streamThreatReport memory', () => {
  it('streams a 200,000-row report with bounded heap', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const real: ThreatEvent[] = [];
    for (const { capture, label } of attackCaptures) real.push(...(await threatsFromCapture(capture, label)));

    const temp = tempDatabasePath();
    const store = openStore(temp.path, { synchronous: 'NORMAL' });
    try {
      const session = startSession(store, { source: 'replay of the attack captures' });
      insertThreats(store, session.id, real);
      // Replay the real rows in rounds inside SQLite (faster than binding 200k rows from JS):
      // round r shifts every time by r × (span + 1 ms) and suffixes the ids.
      const { first, last } = store.db.prepare('SELECT min(time) AS first, max(time) AS last FROM threats').get() as {
        first: number;
        last: number;
      };
      const replayRound = store.db.prepare(
        `INSERT INTO threats (id, session_id, time, source_ip, destination_ip, destination_port, protocol, threat_type,
           category, severity, confidence, detector, model_version, flow_id, incident_id, summary, recorded_at)
         SELECT id || '@' || @round, session_id, time + @round * @span, source_ip, destination_ip,
           destination_port, protocol, threat_type, category, severity, confidence, detector, model_version, flow_id,
           incident_id || '@' || @round, summary, recorded_at
         FROM threats WHERE rowid <= @originals ORDER BY rowid LIMIT @count`,
      );
      for (let round = 1, stored = real.length; stored < TOTAL; round++) {
        const count = Math.min(real.length, TOTAL - stored);
        stored += replayRound.run({ round, span: last - first + 1, originals: real.length, count }).changes;
      }
      expect(store.db.prepare('SELECT count(*) AS n FROM threats').get()).toEqual({ n: TOTAL });

      let bytes = 0;
      let lines = 0;
      let chunks = 0;
      let peakDelta = -Infinity;
      gc();
      const baseline = process.memoryUsage().heapUsed;
      const sink = new Writable({
        decodeStrings: false,
        write(chunk: string, _encoding, done) {
          bytes += chunk.length;
          for (let at = chunk.indexOf('\r\n'); at !== -1; at = chunk.indexOf('\r\n', at + 2)) lines++;
          if (++chunks % 25 === 0) {
            gc();
            peakDelta = Math.max(peakDelta, process.memoryUsage().heapUsed - baseline);
          }
          setImmediate(done);
        },
      });
      const started = performance.now();
      const { rows } = await streamThreatReport(store, { sessionId: session.id }, sink);
      const seconds = (performance.now() - started) / 1000;

      // The measurement itself must be able to see retained memory: hold 10 MB and look again.
      const held = Array.from({ length: 1000 }, () => randomBytes(5000).toString('hex'));
      gc();
      const heldDelta = process.memoryUsage().heapUsed - baseline;
      console.log(
        `200k-row report: ${(bytes / 1e6).toFixed(1)} MB of CSV in ${seconds.toFixed(1)} s ` +
          `(${Math.round(rows / seconds).toLocaleString('en')} rows/s, gc every 25 chunks included); ` +
          `peak retained heap ${(peakDelta / 1e6).toFixed(2)} MB over the start; control holding 10 MB: ${(heldDelta / 1e6).toFixed(2)} MB`,
      );
      expect(held).toHaveLength(1000);
      expect(heldDelta).toBeGreaterThan(9e6);
      expect(rows).toBe(TOTAL);
      expect(lines).toBe(TOTAL + 1);
      // All rows at once would be the whole CSV (> 40 MB as text) or more as row objects.
      expect(bytes).toBeGreaterThan(40e6);
      expect(peakDelta).toBeLessThan(8e6);
    } finally {
      store.close();
      temp.remove();
    }
  });
});
