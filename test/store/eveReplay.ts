/**
 * Real alerts for the EVE tests: lab captures (recorded with real tools, datasets/lab/) replayed
 * through the Monitor, the same detection path as the dashboard and the CLI, into a store file.
 */
import { fileURLToPath } from 'node:url';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { Monitor } from '../../lib/monitor/monitor.ts';
import { openStore } from '../../lib/store/openStore.ts';
import type { Store } from '../../lib/store/store.ts';

export const labCapture = (scenario: string) => fileURLToPath(new URL(`../../datasets/lab/${scenario}.pcap.gz`, import.meta.url));
const liveModel = fileURLToPath(new URL('../../trained_models/live-corrected-family', import.meta.url));

/**
 * A spoofed SYN flood ("many (N)" sources, rule and model), an ICMP flood (no ports), a SYN port
 * scan (model flows with their counters) and an SSH password guesser.
 */
export const EVE_SCENARIOS = ['dos-synflood-randsrc-lan', 'dos-icmpflood-lan', 'scan-syn-lan', 'brute-ssh-lan-22'] as const;

export interface ReplayedSession {
  scenario: string;
  sessionId: string;
  events: ThreatEvent[];
}

/** Replays each scenario as its own session into `storePath`; the store is left open for the caller. */
export async function replayScenarios(storePath: string, scenarios: readonly string[] = EVE_SCENARIOS): Promise<{ store: Store; sessions: ReplayedSession[] }> {
  const store = openStore(storePath, { synchronous: 'NORMAL' });
  let current: ThreatEvent[] = [];
  const monitor = await Monitor.create({
    store,
    modelDirectory: liveModel,
    samplesDirectory: fileURLToPath(new URL('../../datasets/lab', import.meta.url)),
    log: () => undefined,
    onEvents: (events) => current.push(...events),
  });
  const sessions: ReplayedSession[] = [];
  try {
    for (const scenario of scenarios) {
      current = [];
      const started = await monitor.start({ source: { kind: 'file', path: labCapture(scenario), speed: 'max' } });
      const status = await monitor.finished();
      if (status.error !== undefined) throw new Error(`${scenario}: ${status.error}`);
      sessions.push({ scenario, sessionId: started.sessionId!, events: current });
    }
  } finally {
    await monitor.close();
  }
  return { store, sessions };
}
