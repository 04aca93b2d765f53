/**
 * A repeating timer that schedules each tick by absolute time (start + k × interval), so late
 * ticks do not push the following ones back: the interval error stays the event-loop delay of
 * one tick instead of adding up. A tick that ran so late that whole intervals passed skips
 * them rather than firing a burst.
 */
export interface BatchClock {
  stop(): void;
}

export function startBatchClock(intervalMs: number, tick: () => void, now: () => number = Date.now): BatchClock {
  if (!(intervalMs > 0)) throw new RangeError(`batch interval must be > 0 ms, got ${intervalMs}`);
  const origin = now();
  let step = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (): void => {
    const current = now();
    step = Math.max(step + 1, Math.floor((current - origin) / intervalMs) + 1);
    timer = setTimeout(fire, origin + step * intervalMs - current);
  };
  const fire = (): void => {
    if (stopped) return;
    try {
      tick();
    } finally {
      if (!stopped) schedule();
    }
  };

  schedule();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
