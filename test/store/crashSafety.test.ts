import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { closeInterruptedSessions } from '../../lib/store/closeInterruptedSessions.ts';
import { listRecentThreats } from '../../lib/store/listRecentThreats.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { streamThreatReport } from '../../lib/store/reportCsv.ts';
import { CRASH_SESSION_ID, committedBatch, uncommittedBatch } from './fixtures/crashBatches.ts';
import { threatsFromCapture } from './realEvents.ts';
import { tempDatabasePath } from './tempStore.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/commitThenHang.ts', import.meta.url));

/** Resolves with the child's "committed <n>" count; rejects if it exits or says nothing in time. */
function waitForCommit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`child printed no "committed" line; stderr: ${stderr}`)), 45_000);
    child.stdout!.on('data', (data: Buffer) => {
      stdout += data.toString();
      const match = /committed (\d+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before committing; stderr: ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it('every event committed before SIGKILL is there after reopening; the open transaction is not', async () => {
    const temp = tempDatabasePath();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', childScript, temp.path], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const committedCount = await waitForCommit(child);
      const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      // The commits sit in the WAL, not yet checkpointed into the main file: recovery reads them.
      expect(statSync(`${temp.path}-wal`).size).toBeGreaterThan(0);

      // Built again here, independently of the child, from the same capture.
      const expected = await threatsFromCapture(committedBatch.capture, committedBatch.label);
      const neverCommitted = await threatsFromCapture(uncommittedBatch.capture, uncommittedBatch.label);
      expect(committedCount).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);

      const store = openStore(temp.path);
      try {
        const stored = listRecentThreats(store, { sessionId: CRASH_SESSION_ID, limit: 1000 });
        const byId = new Map(stored.map((t) => [t.id, t]));
        expect(stored).toHaveLength(expected.length);
        for (const event of expected) expect(byId.get(event.id)).toEqual({ ...event, sessionId: CRASH_SESSION_ID });
        for (const event of neverCommitted) expect(byId.has(event.id)).toBe(false);
        expect(store.db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });

        // The dead child's session is still 'running' until start-up marks it.
        expect(closeInterruptedSessions(store)).toBe(1);

        let csv = '';
        const sink = new Writable({
          decodeStrings: false,
          write(chunk: string, _encoding, done) {
            csv += chunk;
            done();
          },
        });
        const { rows } = await streamThreatReport(store, { sessionId: CRASH_SESSION_ID }, sink);
        expect(rows).toBe(expected.length);
        const records = Papa.parse<string[]>(csv.trimEnd(), { newline: '\r\n' }).data;
        const header = records[0]!;
        const flowIds = records.slice(1).map((r) => r[header.indexOf('Flow ID')]);
        expect(flowIds.sort()).toEqual(expected.map((e) => e.flowId).sort());
        const times = records.slice(1).map((r) => r[header.indexOf('Time')]);
        expect(times.sort()).toEqual(expected.map((e) => new Date(e.time).toISOString()).sort());
      } finally {
        store.close();
      }
    } finally {
      temp.remove();
    }
  });
});
