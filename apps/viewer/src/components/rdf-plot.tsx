import { memo, useMemo, useRef, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { RdfCurve } from '../model/results';

export interface RdfPlotProps {
  /** Partner name for the legend, e.g. 'DME'. */
  name: string;
  ion: string;
  rdf: RdfCurve;
  /** Shell cutoff, Å. */
  cutoff: number;
  /** Called while dragging (`done` false) and once on release (`done` true). */
  onCutoff(r: number, done: boolean): void;
}

const W = 360;
const H = 190;
const ML = 34;
const MR = 34;
const MT = 16;
const MB = 26;

/** Upper-edge n(r) at distance r (Å), interpolated; NaN outside the curve. */
export function nAt(rdf: RdfCurve, r: number): number {
  const k = Math.floor((r - rdf.rMin) / rdf.binWidth) - 1;
  if (k < -1 || k >= rdf.n.length) return NaN;
  const n0 = k < 0 ? 0 : rdf.n[k];
  const n1 = rdf.n[Math.min(rdf.n.length - 1, k + 1)];
  const f = (r - (rdf.rMin + (k + 1) * rdf.binWidth)) / rdf.binWidth;
  return n0 + (n1 - n0) * f;
}

/**
 * g(r) (left axis) and n(r) (right axis) of the ion with one partner's donor atoms, with the shell
 * cutoff as a vertical line: drag it (or use the arrow keys on it) to change the shell.
 */
export const RdfPlot = memo(function RdfPlot({ name, ion, rdf, cutoff, onCutoff }: RdfPlotProps) {
  const svg = useRef<SVGSVGElement>(null);
  const rMax = rdf.rMax;
  const gMax = useMemo(() => Math.max(1e-9, ...Array.from(rdf.g)) * 1.05, [rdf]);
  const nMax = Math.max(1e-9, rdf.n[rdf.n.length - 1] ?? 1) * 1.05;
  const x = (r: number) => ML + ((r - rdf.rMin) / (rMax - rdf.rMin)) * (W - ML - MR);
  const yg = (g: number) => H - MB - (g / gMax) * (H - MT - MB);
  const yn = (n: number) => H - MB - (n / nMax) * (H - MT - MB);
  const [gPath, nPath] = useMemo(() => {
    let gp = '';
    let np = '';
    for (let k = 0; k < rdf.r.length; k++) {
      gp += `${k ? 'L' : 'M'}${x(rdf.r[k]).toFixed(1)},${yg(rdf.g[k]).toFixed(1)}`;
      np += `${k ? 'L' : 'M'}${x(rdf.rMin + (k + 1) * rdf.binWidth).toFixed(1)},${yn(rdf.n[k]).toFixed(1)}`;
    }
    return [gp, np];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rdf, gMax, nMax]);
  const clamp = (r: number) => Math.min(rMax, Math.max(rdf.binWidth, Math.round(r * 100) / 100));
  const fromClientX = (clientX: number) => {
    const rect = svg.current!.getBoundingClientRect();
    const vx = ((clientX - rect.left) / (rect.width || W)) * W;
    return clamp(rdf.rMin + ((vx - ML) / (W - ML - MR)) * (rMax - rdf.rMin));
  };
  const onDown = (e: ReactPointerEvent) => {
    e.preventDefault();
    let last = fromClientX(e.clientX);
    onCutoff(last, false);
    const move = (ev: PointerEvent | MouseEvent) => {
      last = fromClientX(ev.clientX);
      onCutoff(last, false);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      onCutoff(last, true);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 0.1 : 0.02;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      onCutoff(clamp(cutoff + (e.key === 'ArrowRight' ? step : -step)), true);
    }
  };
  const ticks = [];
  for (let r = 0; r <= rMax + 1e-9; r += 2) ticks.push(r);
  const n = nAt(rdf, cutoff);
  return (
    <figure className="rdf" data-testid="rdf-plot">
      <svg ref={svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`g(r) of ${ion} with ${name} donor atoms`}>
        <rect x={ML} y={MT} width={W - ML - MR} height={H - MT - MB} className="rdf-frame" />
        {ticks.map((r) => (
          <g key={r}>
            <line x1={x(r)} x2={x(r)} y1={H - MB} y2={H - MB + 4} className="axis" />
            <text x={x(r)} y={H - MB + 14} textAnchor="middle" className="tick">
              {r}
            </text>
          </g>
        ))}
        <text x={W / 2} y={H - 2} textAnchor="middle" className="tick">
          r (Å)
        </text>
        <text x={ML} y={MT - 5} className="tick g-label">
          g(r) ─
        </text>
        <text x={W - MR} y={MT - 5} textAnchor="end" className="tick n-label">
          - - n(r)
        </text>
        <text x={ML - 3} y={yg(gMax / 1.05) + 4} textAnchor="end" className="tick">
          {(gMax / 1.05).toFixed(0)}
        </text>
        <text x={W - MR + 3} y={yn(nMax / 1.05) + 4} className="tick">
          {(nMax / 1.05).toFixed(0)}
        </text>
        <path d={nPath} className="n-curve" />
        <path d={gPath} className="g-curve" />
        <g className="cutoff" data-testid="cutoff-handle" tabIndex={0} onPointerDown={onDown} onKeyDown={onKey} role="slider" aria-label="shell cutoff (Å)" aria-valuenow={cutoff} aria-valuemin={0} aria-valuemax={rMax}>
          <rect x={x(cutoff) - 6} y={MT} width={12} height={H - MT - MB} className="cutoff-grab" />
          <line x1={x(cutoff)} x2={x(cutoff)} y1={MT} y2={H - MB} className="cutoff-line" />
        </g>
      </svg>
      <figcaption>
        {ion}–{name} donors: cutoff <b data-testid="cutoff-value">{cutoff.toFixed(2)} Å</b>, n(cutoff) = {Number.isFinite(n) ? n.toFixed(2) : '–'}
        {rdf.firstShell ? `, first peak ${rdf.firstShell.peakR.toFixed(2)} Å` : ''}
      </figcaption>
    </figure>
  );
});
