// uPlot time charts (lines or stacked bars) sized to their container, styled for the dark theme.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { lang, timeZone } from './i18n';

export interface Series { label: string; color: string }

const AXIS = { stroke: '#8496a9', grid: { stroke: '#1d2835', width: 1 }, ticks: { stroke: '#223040', width: 1 }, font: '11px system-ui, sans-serif' };

/** Stacks series cumulatively so bars/areas sit on each other; returns the stacked data. */
function stack(data: number[][]): number[][] {
  const out = [data[0]];
  const acc = new Array(data[0].length).fill(0);
  for (let i = 1; i < data.length; i++) {
    out.push(data[i].map((v, j) => (acc[j] += v ?? 0)));
  }
  return out;
}

export function TimeChart(props: { xs: number[]; ys: number[][]; series: Series[]; height?: number; bars?: boolean; stacked?: boolean; unit?: string; id?: string; onSelect?: (fromSec: number, toSec: number) => void }) {
  const onSelect = useRef(props.onSelect);
  onSelect.current = props.onSelect;
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const tz = timeZone.get();
    const raw = [props.xs, ...props.ys];
    const cum = props.stacked ? stack(raw) : raw;
    // stacked: cumulative values, the top-most drawn first so the lower ones stay visible over it
    const order = props.series.map((_, i) => i);
    if (props.stacked) order.reverse();
    const d = [props.xs, ...order.map((i) => cum[i + 1])] as uPlot.AlignedData;
    const bars = props.bars ? uPlot.paths.bars!({ size: [0.8, 40], gap: 1 }) : undefined;
    const fmt = (v: number | undefined) => (v === undefined || v === null ? '—' : String(+v.toFixed(2)));
    const opts: uPlot.Options = {
      width: el.current.clientWidth || 600,
      height: props.height ?? 180,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
      legend: { show: props.series.length > 1 || !!props.stacked, live: true },
      cursor: { points: { show: false }, drag: { x: !!props.onSelect, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (!onSelect.current || u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onSelect.current(a, b);
          },
        ],
      },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [{ ...AXIS, values: (u, splits) => axisLabels(splits, u.scales.x.max! - u.scales.x.min!, tz) }, { ...AXIS, size: 50, values: (_u, vals) => vals.map((v) => (v >= 1000 ? `${+(v / 1000).toFixed(1)}k` : `${+v.toFixed(2)}`)) }],
      series: [
        { value: (_u, v) => (v ? new Date(v * 1000).toLocaleString(lang.get() === 'en' ? 'en-GB' : 'vi-VN', { timeZone: tz }) : '') },
        ...order.map((i) => ({
          label: props.series[i].label,
          stroke: props.series[i].color,
          width: props.bars ? 0 : 1.5,
          fill: props.series[i].color + (props.bars ? 'dd' : props.stacked ? '66' : '22'),
          paths: bars,
          points: { show: false },
          value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null ? '—' : fmt(raw[i + 1][idx])),
        })),
      ],
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, d, el.current);
    const ro = new ResizeObserver(() => { if (el.current && plot.current) plot.current.setSize({ width: el.current.clientWidth, height: props.height ?? 180 }); });
    ro.observe(el.current);
    return () => { ro.disconnect(); plot.current?.destroy(); plot.current = null; };
  }, [props.xs, props.ys, props.series.map((s) => s.label).join('|'), props.bars, props.stacked]);
  return <div class="chart" ref={el} id={props.id} />;
}

/** 24-hour labels in the chosen zone: time of day for short spans, day/month beyond two days. */
function axisLabels(splits: number[], spanSeconds: number, tz: string): string[] {
  const loc = lang.get() === 'en' ? 'en-GB' : 'vi-VN';
  const f = spanSeconds > 2 * 86400
    ? new Intl.DateTimeFormat(loc, { timeZone: tz, day: '2-digit', month: '2-digit' })
    : new Intl.DateTimeFormat(loc, { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false });
  return splits.map((s) => f.format(new Date(s * 1000)));
}

export const PALETTE = ['#3b9eff', '#ff8c42', '#4cc38a', '#c39bff', '#f5c542', '#ff5c8a', '#36c5d9', '#a0b4c8', '#e07b39', '#7f8cff'];
export const SEV_COLORS: Record<string, string> = { critical: '#ff4d6d', high: '#ff8c42', medium: '#f5c542', low: '#4cc38a', informational: '#6aa7e8' };

/** Turns [{t, value, count}] into uPlot columns: xs (seconds) and one row per value, filling gaps with 0. */
export function pivot(rows: { t: string; value: string; count: number }[], fromMs: number, toMs: number, stepMs: number, scale = 1): { xs: number[]; values: string[]; ys: number[][] } {
  const start = Math.floor(fromMs / stepMs) * stepMs;
  const xs: number[] = [];
  for (let x = start; x <= toMs; x += stepMs) xs.push(x / 1000);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.value, (totals.get(r.value) ?? 0) + r.count);
  const values = [...totals.keys()].sort((a, b) => (a === 'other' ? 1 : b === 'other' ? -1 : totals.get(b)! - totals.get(a)!));
  const idx = new Map(values.map((v, i) => [v, i]));
  const ys = values.map(() => new Array(xs.length).fill(0));
  for (const r of rows) {
    const j = Math.round((Date.parse(r.t) - start) / stepMs);
    if (j >= 0 && j < xs.length) ys[idx.get(r.value)!][j] += r.count * scale;
  }
  return { xs, values, ys };
}
