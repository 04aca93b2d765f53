import type { ReactNode } from 'react';

/** The text version of a chart: one row per label, one cell per series. */
export interface ChartTable {
  columns: readonly string[];
  rows: readonly { label: string; values: readonly (number | string)[] }[];
}

interface ChartFigureProps {
  title: string;
  testId: string;
  table: ChartTable;
  /** CSS height of the canvas box; chart.js fills it (responsive, no fixed aspect ratio). */
  height: number;
  /** Shown over the (empty) canvas when there is nothing to draw yet. */
  emptyNote: string | null;
  children: ReactNode;
  data?: Record<`data-${string}`, string | number>;
}

/**
 * A chart's frame: caption, canvas box, and a visually hidden table with every value, which is
 * what screen readers (and the page tests) read instead of the pixels.
 */
export function ChartFigure({ title, testId, table, height, emptyNote, children, data }: ChartFigureProps) {
  return (
    <figure className="chart" data-testid={testId} {...data}>
      <figcaption className="chart-title">{title}</figcaption>
      <div className="chart-canvas" style={{ height }}>
        {children}
        {emptyNote && (
          <p className="chart-note" data-testid={`${testId}-empty`}>
            {emptyNote}
          </p>
        )}
      </div>
      <table className="visually-hidden" data-testid={`${testId}-table`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, index) => (
            <tr key={`${index}:${row.label}`} data-testid={`${testId}-row`} data-label={row.label} data-value={row.values.join(' ')}>
              <th scope="row">{row.label}</th>
              {row.values.map((value, i) => (
                <td key={table.columns[i + 1] ?? i}>{value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** "label value, label value" for a canvas's aria-label. */
export function describeValues(title: string, rows: ChartTable['rows']): string {
  return `${title}: ${rows.length === 0 ? 'no data yet' : rows.map((r) => `${r.label} ${r.values.join(' ')}`).join(', ')}`;
}
