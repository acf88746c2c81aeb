import type { Progress } from '@solvscope/core';

/** A one-line progress bar on stderr, only when stderr is a TTY. */
export function progressBar(isTTY: boolean, write: (s: string) => void): { update: (label: string, p: Progress) => void; done: () => void } {
  let shown = false;
  return {
    update(label, p) {
      if (!isTTY) return;
      const frac = p.framesTotal ? p.framesDone / p.framesTotal : 0;
      const w = 30;
      const bar = '#'.repeat(Math.round(frac * w)).padEnd(w, '.');
      const eta = Number.isFinite(p.etaSeconds) ? `${Math.ceil(p.etaSeconds)} s left` : '';
      write(`\r${label.padEnd(9)} [${bar}] ${p.framesDone}/${p.framesTotal} frames  ${p.framesPerSecond.toFixed(0)} frames/s  ${eta}   `);
      shown = true;
    },
    done() {
      if (shown) write('\r' + ' '.repeat(100) + '\r');
      shown = false;
    },
  };
}
