/**
 * chart.js is tree-shaken: the pieces the app's charts use are registered once here, and the
 * defaults follow the dark theme of globals.css. Every chart module imports this first.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

// The values of --muted, --border and --panel in globals.css (a canvas cannot read CSS variables).
export const THEME = { text: '#8b9bb4', grid: '#22304d', panel: '#111a2e', accent: '#3b82f6' } as const;

Chart.defaults.color = THEME.text;
Chart.defaults.borderColor = THEME.grid;
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.plugins.legend.labels.boxWidth = 11;
Chart.defaults.plugins.legend.labels.boxHeight = 11;

/**
 * Live charts update in place from each batch with this mode: chart.js skips the animation, so
 * a 2 s batch never restarts a half-played one.
 */
export const LIVE_UPDATE = 'none' as const;
