/**
 * Hand-written SVG charts: labelled axes with units, a title and a text equivalent for screen
 * readers (role="img" + aria-label, plus a <title>). No charting library: two chart shapes do
 * not justify 40+ KB.
 */
import type { ComponentChildren } from 'preact';

const W = 640;

/** Nice round ticks from 0 to at least `max`. */
export function ticks(max: number, n = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / n, mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  // Counts get whole-number ticks: no "0, 0, 1, 1" axis for a handful of customers.
  if (integer) step = Math.max(1, Math.ceil(step));
  const out: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) out.push(+v.toFixed(10));
  return out;
}

export interface Bar { label: string; value: number; text: string; tone?: string }

/** Horizontal bars, one per row, value axis along the bottom. */
export function BarChart({ title, bars, axis, format, integer }: { title: string; bars: Bar[]; axis: string; format(v: number): string; integer?: boolean }) {
  const row = 34, left = 96, right = 90, top = 8, h = top + bars.length * row + 44;
  const max = Math.max(...bars.map((b) => b.value), 0);
  const ts = ticks(max, 4, integer), scale = (W - left - right) / ts[ts.length - 1];
  const desc = `${title}: ` + bars.map((b) => `${b.label} ${b.text}`).join(', ');
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${h}`} role="img" aria-label={desc}>
      <title>{desc}</title>
      {ts.map((v) => (
        <g>
          <line x1={left + v * scale} x2={left + v * scale} y1={top} y2={top + bars.length * row} class="grid" />
          <text x={left + v * scale} y={top + bars.length * row + 16} class="tick" text-anchor="middle">{format(v)}</text>
        </g>
      ))}
      {bars.map((b, i) => (
        <g>
          <text x={left - 10} y={top + i * row + row / 2 + 5} class="label" text-anchor="end">{b.label}</text>
          <rect x={left} y={top + i * row + 6} width={Math.max(b.value * scale, b.value > 0 ? 2 : 0)} height={row - 12} rx="4" class={'bar ' + (b.tone ?? '')} />
          <text x={left + b.value * scale + 8} y={top + i * row + row / 2 + 5} class="val">{b.text}</text>
        </g>
      ))}
      <text x={left + (W - left - right) / 2} y={h - 6} class="axis" text-anchor="middle">{axis}</text>
    </svg>
  );
}

/** Round grid lines covering [lo, hi], zero included. */
export function niceRange(lo: number, hi: number): { grid: number[]; min: number; max: number } {
  // Nothing to spread (every value 0): a unit axis, not two ticks that both read "0".
  if (!(hi - lo > 0)) return lo === 0 ? { grid: [0, 1], min: 0, max: 1 } : niceRange(Math.min(lo, 0), Math.max(hi, 0) || 1);
  const t = ticks(hi - lo);
  const step = t[1] - t[0];
  const min = Math.floor(lo / step) * step, max = Math.ceil(hi / step) * step || step;
  const grid: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) grid.push(+v.toFixed(10));
  return { grid, min, max };
}

export interface Interval { label: string; value: number; low: number | null; high: number | null; tone: string; text: string }

/** Points with 95 % interval whiskers on a shared axis (e.g. treated vs holdout conversion). */
export function IntervalChart({ title, rows, axis, format, children }: { title: string; rows: Interval[]; axis: string; format(v: number): string; children?: ComponentChildren }) {
  const row = 30, left = 150, right = 110, top = 8, h = top + rows.length * row + 44;
  const hi = Math.max(...rows.map((r) => Math.max(r.high ?? r.value, r.value)), 0);
  const lo = Math.min(...rows.map((r) => Math.min(r.low ?? r.value, r.value)), 0);
  const { grid, min, max } = niceRange(lo, hi);
  const x = (v: number) => left + ((v - min) / (max - min || 1)) * (W - left - right);
  const desc = `${title}: ` + rows.map((r) => `${r.label} ${r.text}`).join(', ');
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${h}`} role="img" aria-label={desc}>
      <title>{desc}</title>
      {grid.map((v) => (
        <g>
          <line x1={x(v)} x2={x(v)} y1={top} y2={top + rows.length * row} class={v === 0 ? 'zero' : 'grid'} />
          <text x={x(v)} y={top + rows.length * row + 16} class="tick" text-anchor="middle">{format(v)}</text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = top + i * row + row / 2;
        return (
          <g>
            <text x={left - 10} y={y + 5} class="label" text-anchor="end">{r.label}</text>
            {r.low != null && r.high != null && <line x1={x(r.low)} x2={x(r.high)} y1={y} y2={y} class={'whisker ' + r.tone} />}
            <circle cx={x(r.value)} cy={y} r="6" class={'dot ' + r.tone} />
            <text x={W - right + 8} y={y + 5} class="val">{r.text}</text>
          </g>
        );
      })}
      <text x={left + (W - left - right) / 2} y={h - 6} class="axis" text-anchor="middle">{axis}</text>
      {children}
    </svg>
  );
}
