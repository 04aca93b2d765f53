import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedRow } from '../../lib/realtime/contract.ts';
import { toFeedRow } from '../../lib/realtime/feedRow.ts';
import { mergeFeed } from '../../lib/realtime/mergeFeed.ts';
import { incidentsFromCapture } from './fixtureMonitor.ts';

let rows: FeedRow[];

beforeAll(async () => {
  // Feed rows of the port-scan capture's 29 flows, oldest first.
  rows = (await incidentsFromCapture()).incidents.map(toFeedRow);
});

const ids = (feed: readonly FeedRow[]) => feed.map((row) => row.incidentId);

describe('mergeFeed', () => {
  it('puts a batch (newest first) above the rows already shown', () => {
    const shown = rows.slice(0, 10).reverse();
    const batch = rows.slice(10, 15).reverse();
    expect(ids(mergeFeed(shown, batch, 500))).toEqual([...ids(batch), ...ids(shown)]);
  });

  it('moves an updated incident to the top instead of adding a second row, and keeps untouched rows by identity', () => {
    const shown = rows.slice(0, 10).reverse();
    const updated = { ...shown[6]!, eventCount: shown[6]!.eventCount + 1, time: shown[0]!.time + 1000 };
    const merged = mergeFeed(shown, [updated], 500);
    expect(merged).toHaveLength(10);
    expect(merged[0]).toBe(updated);
    expect(ids(merged).filter((id) => id === updated.incidentId)).toHaveLength(1);
    expect(merged.slice(1)).toEqual(shown.filter((row) => row.incidentId !== updated.incidentId));
    for (const row of merged.slice(1)) expect(shown).toContain(row);
  });

  it('caps the feed at the limit, dropping the oldest rows, and a batch duplicate counts once', () => {
    const shown = rows.slice(0, 20).reverse();
    const batch = [rows[25]!, rows[24]!, rows[25]!];
    const merged = mergeFeed(shown, batch, 8);
    expect(ids(merged)).toEqual([rows[25]!.incidentId, rows[24]!.incidentId, ...ids(shown.slice(0, 6))]);
    expect(mergeFeed(rows, [], 5)).toEqual(rows.slice(0, 5));
    expect(mergeFeed([], rows, 3)).toEqual(rows.slice(0, 3));
  });

  it('returns the same array when nothing changed (no re-render)', () => {
    const shown = rows.slice(0, 4);
    expect(mergeFeed(shown, [], 500)).toBe(shown);
  });
});
