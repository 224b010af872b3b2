/**
 * Live line charts (Chart.js) of a value per batch, with vertical markers where the backend was
 * switched and a label naming the new backend.
 */
import { LABEL_LINE, labelBox, labelRows } from './label-rows.js';
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** A switch marker: at global step `step`, training went on on `label`. */
export interface Marker {
  step: number;
  label: string;
}

const markerPlugin: Plugin<'line'> = {
  id: 'switchMarkers',
  afterDatasetsDraw(chart) {
    const markers = (chart.options.plugins as { switchMarkers?: { markers: Marker[] } }).switchMarkers?.markers ?? [];
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    if (!x) return;
    ctx.save();
    ctx.font = '11px system-ui';
    const boxes = markers.map((m) => labelBox(x.getPixelForValue(m.step), ctx.measureText(m.label).width, chartArea.left, chartArea.right));
    const rows = labelRows(boxes);
    markers.forEach((m, i) => {
      const px = x.getPixelForValue(m.step);
      ctx.strokeStyle = '#e5484d';
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#e5484d';
      ctx.fillText(m.label, boxes[i]!.left, chartArea.top + 11 + LABEL_LINE * (rows[i] ?? 0));
    });
    ctx.restore();
  },
};

/** A chart of one or two series over training steps. */
export class LiveChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  readonly markers: Marker[] = [];

  constructor(canvas: HTMLCanvasElement, title: string, series: readonly { label: string; color: string }[], yMax?: number, xTitle = 'batch') {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: series.map((s, i) => ({ label: s.label, data: [], borderColor: s.color, backgroundColor: s.color, borderWidth: 1.5, pointRadius: i === 0 ? 0 : 3, tension: 0.2 })) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: xTitle }, min: 0 },
          y: { min: 0, ...(yMax === undefined ? {} : { max: yMax }), title: { display: true, text: title } },
        },
        plugins: { legend: { labels: { boxWidth: 10 } }, switchMarkers: { markers: this.markers } } as never,
      },
      plugins: [markerPlugin],
    });
  }

  /** Appends a point to series `i` (not drawn until {@link LiveChart.draw}). */
  push(i: number, x: number, y: number): void {
    this.chart.data.datasets[i]?.data.push({ x, y });
  }

  /** Marks a backend switch at step `x`. */
  mark(x: number, label: string): void {
    this.markers.push({ step: x, label });
  }

  /** Clears every series and marker. */
  reset(): void {
    for (const d of this.chart.data.datasets) d.data.length = 0;
    this.markers.length = 0;
    this.draw();
  }

  /** Redraws. */
  draw(): void {
    this.chart.update('none');
  }
}
