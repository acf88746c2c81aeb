import type { IonTimeline } from './results';

/** Label code of ion `ionOrdinal` at visited-frame ordinal `f` (−1 when outside the timeline). */
export function codeAt(tl: IonTimeline, ionOrdinal: number, f: number): number {
  const runs = tl.runs[ionOrdinal];
  if (!runs) return -1;
  for (let k = 0; k < runs.length; k += 3) if (f >= runs[k] && f < runs[k] + runs[k + 1]) return runs[k + 2];
  return -1;
}

/** Visited-frame ordinal of a file frame number (−1 when that frame was not analysed). */
export function ordinalOfFrame(tl: IonTimeline, frame: number): number {
  const a = tl.frameIndices;
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === frame) return mid;
    if (a[mid] < frame) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Fraction of visited frames each ion spends with label `code`. */
export function timeFractions(tl: IonTimeline, code: number): number[] {
  const n = tl.frameIndices.length || 1;
  return tl.runs.map((runs) => {
    let t = 0;
    for (let k = 0; k < runs.length; k += 3) if (runs[k + 2] === code) t += runs[k + 1];
    return t / n;
  });
}

/**
 * An (ion, frame) that shows label `code`: the current ion at the nearest frame when it ever has
 * it, else the first ion that has it, at the start of its longest run. Null when none does.
 * Returns the ion ordinal and a file frame number.
 */
export function findIonFrame(tl: IonTimeline, code: number, currentIon: number, currentFrame: number): { ion: number; frame: number } | null {
  const cur = ordinalOfFrame(tl, currentFrame);
  const runs = tl.runs[currentIon];
  if (runs) {
    let best = -1;
    let bestDist = Infinity;
    for (let k = 0; k < runs.length; k += 3) {
      if (runs[k + 2] !== code) continue;
      const a = runs[k];
      const b = runs[k] + runs[k + 1] - 1;
      const f = cur < 0 ? a : Math.min(b, Math.max(a, cur));
      const dist = Math.abs(f - cur);
      if (dist < bestDist) {
        bestDist = dist;
        best = f;
      }
    }
    if (best >= 0) return { ion: currentIon, frame: tl.frameIndices[best] };
  }
  let bestIon = -1;
  let bestLen = 0;
  let bestStart = 0;
  tl.runs.forEach((r, i) => {
    for (let k = 0; k < r.length; k += 3) {
      if (r[k + 2] === code && r[k + 1] > bestLen) {
        bestLen = r[k + 1];
        bestIon = i;
        bestStart = r[k];
      }
    }
  });
  return bestIon < 0 ? null : { ion: bestIon, frame: tl.frameIndices[bestStart] };
}
