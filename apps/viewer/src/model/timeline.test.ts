import { describe, expect, it } from 'vitest';
import type { IonTimeline } from './results';
import { codeAt, findIonFrame, ordinalOfFrame, timeFractions } from './timeline';

/** 3 ions over frames 0, 10, …, 90 (ordinals 0–9). */
const tl: IonTimeline = {
  labels: ['A', 'B', 'C'],
  ions: [5, 9, 14],
  frameIndices: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90],
  timesPs: [],
  runs: [
    [0, 10, 0],
    [0, 3, 0, 3, 2, 1, 5, 5, 0],
    [0, 4, 1, 4, 6, 2],
  ],
};

describe('per-ion timeline helpers', () => {
  it('reads the label code of an ion at a visited frame', () => {
    expect([0, 3, 4, 5, 9].map((f) => codeAt(tl, 1, f))).toEqual([0, 1, 1, 0, 0]);
    expect(codeAt(tl, 7, 0)).toBe(-1);
  });

  it('maps file frame numbers to visited-frame ordinals', () => {
    expect(ordinalOfFrame(tl, 0)).toBe(0);
    expect(ordinalOfFrame(tl, 90)).toBe(9);
    expect(ordinalOfFrame(tl, 15)).toBe(-1);
  });

  it('gives each ion its share of frames with a label', () => {
    expect(timeFractions(tl, 1)).toEqual([0, 0.2, 0.4]);
  });

  it('prefers the current ion at the frame nearest the current one', () => {
    expect(findIonFrame(tl, 1, 1, 90)).toEqual({ ion: 1, frame: 40 });
    expect(findIonFrame(tl, 0, 1, 40)).toEqual({ ion: 1, frame: 50 });
  });

  it('otherwise picks the ion with the longest run of that label, or null', () => {
    expect(findIonFrame(tl, 2, 0, 0)).toEqual({ ion: 2, frame: 40 });
    expect(findIonFrame(tl, 1, 0, 0)).toEqual({ ion: 2, frame: 0 });
    expect(findIonFrame(tl, 5, 0, 0)).toBeNull();
  });
});
