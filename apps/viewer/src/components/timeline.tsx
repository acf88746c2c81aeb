import type { IonTimeline } from '../model/results';
import { labelColor } from '../model/chem';
import { ordinalOfFrame } from '../model/timeline';

export interface TimelineProps {
  timeline: IonTimeline;
  /** Label code of each timeline label in the speciation table (for colours). */
  colorCode(label: string): number;
  selectedIon: number;
  frame: number;
  onPick(ion: number, frame: number): void;
  ionName: string;
}

const W = 360;
const ROW = 9;
const MAX_ROWS = 48;

/** One strip per ion: its shell label over time, coloured as in the speciation table; click to jump. */
export function Timeline({ timeline, colorCode, selectedIon, frame, onPick, ionName }: TimelineProps) {
  const nF = timeline.frameIndices.length;
  const rows = timeline.runs.slice(0, MAX_ROWS);
  const H = rows.length * ROW + 4;
  const x = (f: number) => (f / Math.max(1, nF)) * W;
  const cur = ordinalOfFrame(timeline, frame);
  const onClick = (e: React.MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const vx = ((e.clientX - rect.left) / (rect.width || W)) * W;
    const vy = ((e.clientY - rect.top) / (rect.height || H)) * H;
    const ion = Math.min(rows.length - 1, Math.max(0, Math.floor((vy - 2) / ROW)));
    const f = Math.min(nF - 1, Math.max(0, Math.floor((vx / W) * nF)));
    onPick(ion, timeline.frameIndices[f]);
  };
  return (
    <figure className="timeline" data-testid="timeline">
      <svg viewBox={`0 0 ${W} ${H}`} onClick={onClick} role="img" aria-label={`shell of each ${ionName} over time`}>
        {rows.map((runs, i) => (
          <g key={i} className={i === selectedIon ? 'sel' : undefined}>
            {Array.from({ length: runs.length / 3 }, (_, k) => (
              <rect
                key={k}
                x={x(runs[3 * k])}
                y={2 + i * ROW}
                width={Math.max(0.5, x(runs[3 * k + 1]))}
                height={ROW - 2}
                fill={labelColor(colorCode(timeline.labels[runs[3 * k + 2]]))}
              >
                <title>{`${ionName} ${i + 1}: ${timeline.labels[runs[3 * k + 2]]}`}</title>
              </rect>
            ))}
            {i === selectedIon && <rect x={0} y={1 + i * ROW} width={W} height={ROW} className="sel-outline" />}
          </g>
        ))}
        {cur >= 0 && <line x1={x(cur + 0.5)} x2={x(cur + 0.5)} y1={0} y2={H} className="now" />}
      </svg>
      <figcaption>
        shell of each {ionName} over {nF} frames{timeline.runs.length > MAX_ROWS ? ` (first ${MAX_ROWS} ions)` : ''}; click to jump
      </figcaption>
    </figure>
  );
}
