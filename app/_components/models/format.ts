/** Display helpers of the /models page. */
export const percent = (value: number | undefined | null) => (value === undefined || value === null ? '—' : `${(value * 100).toFixed(2)}%`);

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export { formatBytes as bytes } from '../format.ts';
