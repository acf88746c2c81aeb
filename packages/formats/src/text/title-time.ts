/**
 * GROMACS tools (trjconv, editconf, mdrun's confout) append the frame time and step to the
 * title of GRO files and to the TITLE record of PDB files:
 *
 *     MGCl2 in TIP3P water t=   1.00000 step= 500
 *
 * The time is in ps. Titles without it (hand-made files, other programs) give NaN / -1.
 */
export interface TitleTime {
  /** ps; NaN when the title has no `t=`. */
  time: number;
  /** MD step; -1 when the title has no `step=`. */
  step: number;
}

const TIME_RE = /(?:^|\s)t=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/;
const STEP_RE = /(?:^|\s)step=\s*([-+]?\d+)/;

/** Time (ps) and step from a GROMACS-style title; NaN / -1 for what is absent. */
export function parseTitleTime(title: string): TitleTime {
  const t = TIME_RE.exec(title);
  const s = STEP_RE.exec(title);
  return { time: t ? Number(t[1]) : NaN, step: s ? Number(s[1]) : -1 };
}
