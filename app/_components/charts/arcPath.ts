/**
 * SVG path of a ring slice (or a pie slice when innerRadius is 0) between two angles in
 * radians, measured clockwise from 12 o'clock. A slice of the whole circle is drawn as two
 * halves, because an SVG arc whose ends meet draws nothing.
 */
export function arcPath(cx: number, cy: number, outerRadius: number, innerRadius: number, start: number, end: number): string {
  const sweep = end - start;
  if (sweep >= Math.PI * 2 - 1e-9) {
    // Two half arcs per circle with no radial edge (a seam would show); the inner circle runs
    // the other way round, so the nonzero fill rule leaves the hole empty.
    const outer = `M ${cx} ${cy - outerRadius} A ${outerRadius} ${outerRadius} 0 1 1 ${cx} ${cy + outerRadius} A ${outerRadius} ${outerRadius} 0 1 1 ${cx} ${cy - outerRadius} Z`;
    if (innerRadius <= 0) return outer;
    return `${outer} M ${cx} ${cy - innerRadius} A ${innerRadius} ${innerRadius} 0 1 0 ${cx} ${cy + innerRadius} A ${innerRadius} ${innerRadius} 0 1 0 ${cx} ${cy - innerRadius} Z`;
  }
  const large = sweep > Math.PI ? 1 : 0;
  const point = (radius: number, angle: number): string =>
    `${round(cx + radius * Math.sin(angle))} ${round(cy - radius * Math.cos(angle))}`;
  if (innerRadius <= 0) {
    return `M ${cx} ${cy} L ${point(outerRadius, start)} A ${outerRadius} ${outerRadius} 0 ${large} 1 ${point(outerRadius, end)} Z`;
  }
  return (
    `M ${point(outerRadius, start)} A ${outerRadius} ${outerRadius} 0 ${large} 1 ${point(outerRadius, end)} ` +
    `L ${point(innerRadius, end)} A ${innerRadius} ${innerRadius} 0 ${large} 0 ${point(innerRadius, start)} Z`
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
