/**
 * The drawing pad: white strokes on black with mouse, pen or touch (pointer events), read back as
 * an MNIST digit through the same preprocessing MNIST used (see `mnistPreprocess`).
 */
import { mnistPreprocess } from '../shared/preprocess.js';
import { SIDE } from '../shared/data.js';

/** A canvas to draw digits on; calls `onChange` (at most once per frame) while drawing. */
export class DrawingPad {
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private scheduled = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onChange: () => void) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.wipe();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.point(e);
      this.stroke(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drawing) this.stroke(this.point(e));
    });
    const end = (): void => {
      this.drawing = false;
      this.last = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private stroke(p: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = '#fff';
    c.fillStyle = '#fff';
    c.lineWidth = this.canvas.width / 14;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    if (this.last) {
      c.moveTo(this.last.x, this.last.y);
      c.lineTo(p.x, p.y);
      c.stroke();
    } else {
      c.arc(p.x, p.y, c.lineWidth / 2, 0, 2 * Math.PI);
      c.fill();
    }
    this.last = p;
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.onChange();
      });
    }
  }

  private wipe(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Wipes the pad and tells the listener. */
  clear(): void {
    this.wipe();
    this.onChange();
  }

  /** The drawing as 784 values in 0..1 (centred, scaled to 20×20 in 28×28), or null when empty. */
  digit(): Float32Array | null {
    const { width: w, height: h } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, w, h).data;
    const ink = new Float32Array(w * h);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i]!;
    return mnistPreprocess(ink, w, h);
  }
}

/** Paints 28×28 values in 0..1 (or bytes when `scale` is 1) as a grayscale image on a canvas. */
export function paintDigit(canvas: HTMLCanvasElement, values: ArrayLike<number>, scale = 255): void {
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.max(0, Math.min(255, Math.round(values[i]! * scale)));
    img.data[4 * i] = v;
    img.data[4 * i + 1] = v;
    img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
