import { memo } from 'react';
import type { Solvation } from '../model/results';
import { labelColor } from '../model/chem';

export interface SpeciationTableProps {
  solvation: Solvation;
  /** Highlighted label (the shell shown in 3D), if any. */
  current?: string | null;
  /** Click on a row: the label and its index (the timeline's label code). */
  onSelect(label: string, index: number): void;
}

const pct = (f: number) => `${(100 * f).toFixed(1)} %`;
const pm = (s: number) => (Number.isFinite(s) ? ` ± ${(100 * s).toFixed(1)}` : '');

/** Speciation of the first shells (fraction of ion-frames per label) and CIP/SSIP/AGG fractions. */
export const SpeciationTable = memo(function SpeciationTable({ solvation, current, onSelect }: SpeciationTableProps) {
  const c = solvation.pairing.cation;
  return (
    <div className="speciation">
      <table data-testid="speciation-table">
        <thead>
          <tr>
            <th>shell</th>
            <th>fraction</th>
            <th>ion-frames</th>
          </tr>
        </thead>
        <tbody>
          {solvation.speciation.map((e, k) => (
            <tr
              key={e.label}
              data-testid="species-row"
              data-label={e.label}
              className={e.label === current ? 'current' : undefined}
              onClick={() => onSelect(e.label, k)}
              title="show an ion and frame with this shell"
            >
              <td>
                <span className="swatch" style={{ background: labelColor(k) }} />
                {e.label}
              </td>
              <td className="num">
                {pct(e.fraction)}
                <small>{pm(e.stderr)}</small>
                <span className="bar" style={{ width: `${Math.round(60 * e.fraction)}px` }} />
              </td>
              <td className="num">{e.ionFrames}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="pairing" data-testid="pairing">
        <span title="solvent-separated ion pair: no anion in the shell">SSIP {pct(c.SSIP.fraction)}</span>
        <span title="contact ion pair: anions in the shell, each bound to this cation only">CIP {pct(c.CIP.fraction)}</span>
        <span title="aggregate: an anion in the shell bridges to another cation">AGG {pct(c.AGG.fraction)}</span>
      </p>
    </div>
  );
});
