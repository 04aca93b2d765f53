import type { FeedRow } from './contract.ts';

/**
 * The dashboard's feed after one batch: the batch's rows (newest first) on top, then the rows
 * already shown that the batch did not update, capped at `limit`. An updated incident moves to
 * the top instead of appearing twice. Rows the batch did not touch keep their identity, so a
 * memoised row component does not re-render them.
 */
export function mergeFeed(current: readonly FeedRow[], incoming: readonly FeedRow[], limit: number): FeedRow[] {
  if (incoming.length === 0) return current.length <= limit ? (current as FeedRow[]) : current.slice(0, limit);
  const seen = new Set<string>();
  const merged: FeedRow[] = [];
  for (const row of incoming) {
    if (merged.length >= limit) return merged;
    if (seen.has(row.incidentId)) continue;
    seen.add(row.incidentId);
    merged.push(row);
  }
  for (const row of current) {
    if (merged.length >= limit) break;
    if (!seen.has(row.incidentId)) merged.push(row);
  }
  return merged;
}
