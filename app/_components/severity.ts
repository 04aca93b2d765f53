import type { Severity } from '../../lib/detect/threatEvent.ts';

export const SEVERITIES: readonly Severity[] = ['Critical', 'High', 'Medium', 'Low'];

export const SEVERITY_COLORS: Record<Severity, string> = {
  Critical: '#dc2626',
  High: '#ea580c',
  Medium: '#eab308',
  Low: '#16a34a',
};

/** Category slices: distinct on a dark background, none of them a severity colour. */
export const CATEGORY_COLORS = ['#3b82f6', '#8b5cf6', '#06b6d4', '#ec4899', '#14b8a6', '#f472b6', '#a3a3a3', '#6366f1'];
