import { svg, type TemplateResult } from 'lit';

/** One point of a chart: time, value (null = no data) and whether the detector flagged it. */
export interface ChartPoint {
  t: number;
  value: number | null;
  anomaly?: boolean;
  score?: number;
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  /** Accessible name of the chart. */
  label: string;
  /** Formats a value for the axis and the tooltips. */
  format?: (v: number) => string;
  /** `bar` for counts, `line` (default) for rates and latencies. */
  kind?: 'line' | 'bar';
}

const W = 600;
const H = 180;
const PAD = { left: 48, right: 8, top: 10, bottom: 22 };

const fmtTime = (t: number, spanMs: number) =>
  new Date(t).toLocaleString(
    undefined,
    spanMs > 2 * 86_400_000 ? { month: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' },
  );

/**
 * A small responsive SVG chart (it scales to its container's width): bars or a line over time,
 * gaps where there is no data, a red ring on every point the anomaly detector flagged, and a
 * `<title>` per point for hover and screen readers.
 *
 * @example
 * ```ts
 * html`${lineChart(series.points, { label: 'Runs per hour', kind: 'bar' })}`;
 * ```
 */
export function lineChart(points: readonly ChartPoint[], options: ChartOptions): TemplateResult {
  const format = options.format ?? ((v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)));
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = Math.max(0, ...values);
  const top = max > 0 ? max * 1.1 : 1;
  const t0 = points[0]?.t ?? 0;
  const t1 = points.at(-1)?.t ?? t0 + 1;
  const span = Math.max(1, t1 - t0);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - t0) / span) * innerW;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const barW = Math.max(1, innerW / Math.max(1, points.length) - 1);
  const path: string[] = [];
  let pen = false;
  for (const p of points) {
    if (p.value === null) {
      pen = false;
      continue;
    }
    path.push(`${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`);
    pen = true;
  }
  const ticks = [0, top / 2, top];
  const labels = points.length > 1 ? [points[0]!, points[Math.floor(points.length / 2)]!, points.at(-1)!] : points;
  return svg`<svg class="an-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${options.label}>
    ${ticks.map(
      (v) => svg`<line class="an-grid" x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)}></line>
        <text class="an-axis" x=${PAD.left - 4} y=${y(v) + 4} text-anchor="end">${format(v)}</text>`,
    )}
    ${labels.map(
      (p, i) =>
        svg`<text class="an-axis" x=${x(p.t)} y=${H - 6} text-anchor=${i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle'}>${fmtTime(p.t, span)}</text>`,
    )}
    ${
      options.kind === 'bar'
        ? points.map((p) =>
            p.value === null
              ? ''
              : svg`<rect class="an-bar" x=${x(p.t) - barW / 2} y=${y(p.value)} width=${barW} height=${Math.max(0, PAD.top + innerH - y(p.value))}><title>${new Date(p.t).toLocaleString()}: ${format(p.value)}</title></rect>`,
          )
        : svg`<path class="an-line" d=${path.join(' ')}></path>
          ${points.map((p) =>
            p.value === null
              ? ''
              : svg`<circle class="an-dot" cx=${x(p.t)} cy=${y(p.value)} r=${values.length < 4 ? 5 : 2.5}><title>${new Date(p.t).toLocaleString()}: ${format(p.value)}</title></circle>`,
          )}`
    }
    ${points
      .filter((p) => p.anomaly && p.value !== null)
      .map(
        (p) =>
          svg`<circle class="an-anomaly" data-anomaly="true" cx=${x(p.t)} cy=${y(p.value!)} r="7"><title>Anomaly (score ${(p.score ?? 0).toFixed(2)}): ${format(p.value!)}</title></circle>`,
      )}
  </svg>`;
}
