// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IonPicker, type IonEntry } from './ion-picker';
import { render, selectOption } from '../testing/render';

const labels = ['[Mg(TFSI)2(DME)2]', '[Mg(DME)3]2+'];
const ions = (filtered: boolean): IonEntry[] => [
  { ordinal: 0, atom: 0, label: labels[0], share: filtered ? 1 : NaN },
  { ordinal: 1, atom: 1, label: labels[1], share: filtered ? 0 : NaN },
  { ordinal: 2, atom: 2, label: labels[1], share: filtered ? 0.25 : NaN },
];

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('IonPicker', () => {
  it('lists every ion with its current shell when no filter is set', () => {
    const r = render(<IonPicker ions={ions(false)} labels={labels} filter={null} selected={0} onFilter={() => {}} onSelect={() => {}} ionName="MG" />);
    cleanup = r.unmount;
    const opts = [...r.container.querySelectorAll('[data-testid="ion-picker"] option')].map((o) => o.textContent);
    expect(opts).toEqual(['MG 1 (atom 1) [Mg(TFSI)2(DME)2]', 'MG 2 (atom 2) [Mg(DME)3]2+', 'MG 3 (atom 3) [Mg(DME)3]2+']);
  });

  it('keeps only the ions that ever have the filtered shell, with their share of frames', () => {
    const r = render(<IonPicker ions={ions(true)} labels={labels} filter={labels[0]} selected={0} onFilter={() => {}} onSelect={() => {}} ionName="MG" />);
    cleanup = r.unmount;
    const opts = [...r.container.querySelectorAll('[data-testid="ion-picker"] option')];
    expect(opts.map((o) => o.getAttribute('value'))).toEqual(['0', '2']);
    expect(opts[1].textContent).toBe('MG 3 (atom 3) [Mg(DME)3]2+ · 25 % of frames');
    expect(r.container.textContent).toContain('2 of 3');
  });

  it('reports the chosen filter and ion', () => {
    const onFilter = vi.fn();
    const onSelect = vi.fn();
    const r = render(<IonPicker ions={ions(false)} labels={labels} filter={null} selected={0} onFilter={onFilter} onSelect={onSelect} ionName="MG" />);
    cleanup = r.unmount;
    selectOption(r.container.querySelector('[data-testid="ion-filter"]')!, labels[1]);
    selectOption(r.container.querySelector('[data-testid="ion-picker"]')!, '2');
    expect(onFilter).toHaveBeenCalledWith(labels[1]);
    expect(onSelect).toHaveBeenCalledWith(2);
    r.rerender(<IonPicker ions={ions(true)} labels={labels} filter={labels[1]} selected={2} onFilter={onFilter} onSelect={onSelect} ionName="MG" />);
    selectOption(r.container.querySelector('[data-testid="ion-filter"]')!, '');
    expect(onFilter).toHaveBeenLastCalledWith(null);
  });
});
