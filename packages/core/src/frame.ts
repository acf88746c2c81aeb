import type { Box } from './box.js';

/**
 * One trajectory frame, as every reader yields it and every analysis consumes it.
 * Units: positions Å, time ps, velocities Å/ps, forces kJ/(mol·Å).
 */
export interface Frame {
  /** 0-based frame number in the file. */
  index: number;
  /** Simulation time in ps (NaN when the file has none). */
  time: number;
  /** MD step number when the file stores one, else -1. */
  step: number;
  /** x0 y0 z0 x1 … in Å, length 3 × atomCount. */
  positions: Float32Array;
  /** Periodic cell, three row vectors in Å; null when the file has no box. */
  box: Box | null;
  /** Å/ps, same layout as positions; null when absent in this frame. */
  velocities: Float32Array | null;
  /** kJ/(mol·Å), same layout; null when absent. */
  forces: Float32Array | null;
}

export function createFrame(atomCount: number): Frame {
  return {
    index: -1,
    time: NaN,
    step: -1,
    positions: new Float32Array(atomCount * 3),
    box: null,
    velocities: null,
    forces: null,
  };
}

/** Deep copy (new buffers). */
export function cloneFrame(f: Frame): Frame {
  return {
    index: f.index,
    time: f.time,
    step: f.step,
    positions: f.positions.slice(),
    box: f.box ? f.box.slice() : null,
    velocities: f.velocities ? f.velocities.slice() : null,
    forces: f.forces ? f.forces.slice() : null,
  };
}
