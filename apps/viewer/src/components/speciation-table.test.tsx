// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpeciationTable } from './speciation-table';
import type { Solvation } from '../model/results';
import { fire, render } from '../testing/render';

const f = (fraction: number, stderr = NaN) => ({ fraction, stderr });
const solvation: Solvation = {
  ions: { selection: 'species MG', count: 12 },
  frames: 10,
  ionFrames: 120,
  coordination: [],
  speciation: [
    { label: '[Mg(TFSI)2(DME)2]', ion: 'Mg', composition: { TFSI: 2, DME: 2 }, charge: 0, fraction: 0.6667, stderr: 0.01, ionFrames: 80 },
    { label: '[Mg(DME)3]2+', ion: 'Mg', composition: { DME: 3 }, charge: 2, fraction: 0.25, stderr: NaN, ionFrames: 30 },
    { label: '[Mg(TFSI)(DME)3]+', ion: 'Mg', composition: { TFSI: 1, DME: 3 }, charge: 1, fraction: 0.0833, stderr: 0, ionFrames: 10 },
  ],
  pairing: { cation: { SSIP: f(0.25), CIP: f(0.5), AGG: f(0.25) }, anions: ['TFSI'] },
  warnings: [],
};

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('SpeciationTable', () => {
  it('lists every shell in result order with its fraction, error and ion-frames', () => {
    const r = render(<SpeciationTable solvation={solvation} onSelect={() => {}} />);
    cleanup = r.unmount;
    const rows = [...r.container.querySelectorAll('[data-testid="species-row"]')];
    expect(rows.map((tr) => tr.getAttribute('data-label'))).toEqual(['[Mg(TFSI)2(DME)2]', '[Mg(DME)3]2+', '[Mg(TFSI)(DME)3]+']);
    const cells = (k: number) => [...rows[k].querySelectorAll('td')].map((td) => td.textContent);
    expect(cells(0)).toEqual(['[Mg(TFSI)2(DME)2]', '66.7 % ± 1.0', '80']);
    expect(cells(1)[1]).toBe('25.0 %');
  });

  it('shows the SSIP, CIP and AGG fractions of the cations', () => {
    const r = render(<SpeciationTable solvation={solvation} onSelect={() => {}} />);
    cleanup = r.unmount;
    expect(r.container.querySelector('[data-testid="pairing"]')!.textContent).toBe('SSIP 25.0 %CIP 50.0 %AGG 25.0 %');
  });

  it('reports the clicked row with its label and index, and marks the current shell', () => {
    const onSelect = vi.fn();
    const r = render(<SpeciationTable solvation={solvation} current="[Mg(DME)3]2+" onSelect={onSelect} />);
    cleanup = r.unmount;
    const rows = r.container.querySelectorAll('[data-testid="species-row"]');
    expect(rows[1].className).toBe('current');
    expect(rows[0].className).toBe('');
    fire(rows[2], new MouseEvent('click', { bubbles: true }));
    expect(onSelect).toHaveBeenCalledWith('[Mg(TFSI)(DME)3]+', 2);
  });
});
