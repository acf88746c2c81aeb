// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RdfPlot, nAt } from './rdf-plot';
import type { RdfCurve } from '../model/results';
import { fire, pointer, render } from '../testing/render';

/** 10 bins of 0.5 Å over [0, 5): n rises by 1 per bin. */
const rdf: RdfCurve = {
  r: Array.from({ length: 10 }, (_, k) => 0.25 + 0.5 * k),
  g: [0, 0, 0, 5, 1, 0.2, 0.8, 1, 1, 1],
  n: Array.from({ length: 10 }, (_, k) => k + 1),
  rMin: 0,
  rMax: 5,
  binWidth: 0.5,
  frames: 1,
  firstShell: { peakR: 1.75, minR: 2.75, minIndex: 5, minEdgeR: 3, plateauEndIndex: 5, nAtMin: 6 },
};

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

/** The plot spans viewBox x 34..326 for r 0..5; make the SVG 360 px wide at left = 100. */
function mount(onCutoff = vi.fn(), cutoff = 3) {
  const r = render(<RdfPlot name="DME" ion="MG" rdf={rdf} cutoff={cutoff} onCutoff={onCutoff} />);
  cleanup = r.unmount;
  const svg = r.container.querySelector('svg')!;
  svg.getBoundingClientRect = () => ({ left: 100, top: 0, width: 360, height: 190, right: 460, bottom: 190, x: 100, y: 0, toJSON: () => ({}) });
  return { ...r, onCutoff, handle: r.container.querySelector('[data-testid="cutoff-handle"]')! };
}
const clientXOf = (r: number) => 100 + 34 + (r / 5) * (360 - 68);

describe('RdfPlot', () => {
  it('draws g(r) and n(r) and states the cutoff with n at the cutoff', () => {
    const { container } = mount();
    expect(container.querySelectorAll('path').length).toBe(2);
    expect(container.querySelector('figcaption')!.textContent).toBe('MG–DME donors: cutoff 3.00 Å, n(cutoff) = 6.00, first peak 1.75 Å');
  });

  it('moves the cutoff with the pointer and reports the final value on release', () => {
    const { handle, onCutoff } = mount();
    fire(handle, pointer('pointerdown', clientXOf(3)));
    fire(window, pointer('pointermove', clientXOf(2.2)));
    fire(window, pointer('pointermove', clientXOf(2.5)));
    fire(window, pointer('pointerup', clientXOf(2.5)));
    expect(onCutoff.mock.calls.map(([r, done]) => [Number(r.toFixed(2)), done])).toEqual([
      [3, false],
      [2.2, false],
      [2.5, false],
      [2.5, true],
    ]);
    fire(window, pointer('pointermove', clientXOf(1)));
    expect(onCutoff).toHaveBeenCalledTimes(4);
  });

  it('keeps the dragged cutoff inside the plotted range', () => {
    const { handle, onCutoff } = mount();
    fire(handle, pointer('pointerdown', 0));
    fire(window, pointer('pointerup', 0));
    fire(handle, pointer('pointerdown', 5000));
    fire(window, pointer('pointerup', 5000));
    expect(onCutoff.mock.calls.filter(([, done]) => done).map(([r]) => r)).toEqual([0.5, 5]);
  });

  it('nudges the cutoff by 0.02 Å with the arrow keys', () => {
    const { handle, onCutoff } = mount(vi.fn(), 2.5);
    fire(handle, new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    fire(handle, new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, shiftKey: true }));
    expect(onCutoff.mock.calls).toEqual([
      [2.52, true],
      [2.4, true],
    ]);
  });

  it('interpolates n(r) between upper bin edges', () => {
    expect(nAt(rdf, 0.5)).toBe(1);
    expect(nAt(rdf, 0.75)).toBe(1.5);
    expect(nAt(rdf, 0.25)).toBe(0.5);
    expect(nAt(rdf, 5)).toBe(10);
  });
});
