/**
 * A small canvas chart of the loss per step: the training loss as a line, the validation loss as
 * dots, a dashed horizontal line for the unigram baseline, and a red mark where the backend changed.
 * It fills its container's width (phone or desktop) and redraws sharp on high-density screens.
 */

interface Point {
  x: number;
  y: number;
}

const COLORS = { train: '#5566ee', val: '#e8870e', baseline: '#8a90a0', mark: '#d93a3f', axis: '#39415a', grid: '#e6e8f0' };

/** The live loss chart. */
export class LossChart {
  private train: Point[] = [];
  private val: Point[] = [];
  private marks: { x: number; label: string }[] = [];
  private baseline: number | null = null;
  private queued = false;

  constructor(private readonly canvas: HTMLCanvasElement) {
    new ResizeObserver(() => this.draw()).observe(canvas.parentElement ?? canvas);
  }

  /** Starts over, with the loss to beat (`baseline`) as a reference line. */
  reset(baseline: number | null): void {
    this.train = [];
    this.val = [];
    this.marks = [];
    this.baseline = baseline;
    this.draw();
  }

  addTrain(step: number, loss: number): void {
    this.train.push({ x: step, y: loss });
    this.schedule();
  }

  addValidation(step: number, loss: number): void {
    this.val.push({ x: step, y: loss });
    this.schedule();
  }

  /** Marks a backend switch after `step`. */
  mark(step: number, label: string): void {
    this.marks.push({ x: step, label });
    this.schedule();
  }

  /** Redraws on the next animation frame (many points a second cost one drawing). */
  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.draw();
    });
  }

  draw(): void {
    const box = this.canvas.parentElement?.getBoundingClientRect() ?? this.canvas.getBoundingClientRect();
    const width = Math.max(100, Math.floor(box.width));
    const height = 200;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = width * dpr;
    this.canvas.height = height * dpr;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    const left = 36;
    const right = width - 8;
    const top = 8;
    const bottom = height - 22;
    const all = [...this.train, ...this.val];
    const maxX = Math.max(10, ...all.map((p) => p.x));
    const ys = all.map((p) => p.y).filter(Number.isFinite);
    if (this.baseline !== null) ys.push(this.baseline);
    const maxY = ys.length ? Math.ceil(Math.max(...ys) * 2) / 2 : 4;
    const minY = ys.length ? Math.max(0, Math.floor(Math.min(...ys) * 2) / 2 - 0.5) : 0;
    const px = (x: number): number => left + ((right - left) * x) / maxX;
    const py = (y: number): number => bottom - ((bottom - top) * (y - minY)) / Math.max(maxY - minY, 1e-9);

    ctx.strokeStyle = COLORS.grid;
    ctx.fillStyle = COLORS.axis;
    ctx.lineWidth = 1;
    for (let y = minY; y <= maxY + 1e-9; y += 0.5) {
      ctx.beginPath();
      ctx.moveTo(left, py(y));
      ctx.lineTo(right, py(y));
      ctx.stroke();
      ctx.fillText(y.toFixed(1), 4, py(y) + 4);
    }
    ctx.fillText('0', left, height - 6);
    ctx.fillText(`${maxX} steps`, right - ctx.measureText(`${maxX} steps`).width, height - 6);

    if (this.baseline !== null) {
      ctx.strokeStyle = COLORS.baseline;
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(left, py(this.baseline));
      ctx.lineTo(right, py(this.baseline));
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.baseline;
      ctx.fillText('unigram baseline', left + 4, py(this.baseline) - 4);
    }
    ctx.strokeStyle = COLORS.train;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    this.train.forEach((p, i) => (i === 0 ? ctx.moveTo(px(p.x), py(p.y)) : ctx.lineTo(px(p.x), py(p.y))));
    ctx.stroke();
    ctx.fillStyle = COLORS.val;
    for (const p of this.val) {
      ctx.beginPath();
      ctx.arc(px(p.x), py(p.y), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.strokeStyle = COLORS.mark;
    ctx.fillStyle = COLORS.mark;
    this.marks.forEach((m, i) => {
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(px(m.x), top);
      ctx.lineTo(px(m.x), bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      const w = ctx.measureText(m.label).width;
      ctx.fillText(m.label, Math.min(px(m.x) + 3, right - w), top + 10 + 12 * (i % 3));
    });
  }
}
