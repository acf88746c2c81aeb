/**
 * Block averaging. A run's chunks are consecutive blocks of frames; the standard error of a
 * mean is estimated from the spread of the block means:
 *
 *   m_b = S_b / W_b                         (block mean, W_b = weight, e.g. ion-frames)
 *   m   = Σ S_b / Σ W_b                     (overall mean, the same as from all frames)
 *   SE  = sqrt( Σ w_b (m_b − m)² / ((B − 1) Σ w_b) ),  w_b = W_b / mean(W)
 *
 * which is the standard error of a weighted mean of B blocks (equal weights reduce to
 * std(m_b)/sqrt(B)). Blocks must be longer than the correlation time for SE to be honest;
 * with fewer than 2 non-empty blocks the SE is NaN (reported as null in JSON).
 */
export interface BlockEstimate {
  mean: number;
  stderr: number;
  /** Non-empty blocks used. */
  blocks: number;
}

export function blockAverage(sums: ArrayLike<number>, weights: ArrayLike<number>): BlockEstimate {
  let S = 0;
  let W = 0;
  let B = 0;
  for (let b = 0; b < sums.length; b++) {
    if (weights[b] > 0) {
      S += sums[b];
      W += weights[b];
      B++;
    }
  }
  if (W === 0) return { mean: NaN, stderr: NaN, blocks: 0 };
  const mean = S / W;
  if (B < 2) return { mean, stderr: NaN, blocks: B };
  const wbar = W / B;
  let acc = 0;
  let wsum = 0;
  for (let b = 0; b < sums.length; b++) {
    if (weights[b] > 0) {
      const w = weights[b] / wbar;
      const d = sums[b] / weights[b] - mean;
      acc += w * d * d;
      wsum += w;
    }
  }
  return { mean, stderr: Math.sqrt(acc / ((B - 1) * wsum)), blocks: B };
}
