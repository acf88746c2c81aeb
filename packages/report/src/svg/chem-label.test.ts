// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseXml } from '../testing/xml.js';
import { chemLabelHtml, chemLabelSvg, chemTextSvg, splitChemLabel } from './chem-label.js';

function wrap(inner: string): Document {
  return parseXml(`<svg xmlns="http://www.w3.org/2000/svg"><text>${inner}</text></svg>`);
}

/** Sum of every dy in the text: 0 means the baseline is back where it started. */
function netDy(doc: Document): number {
  return Array.from(doc.getElementsByTagName('tspan')).reduce((s, t) => s + Number(t.getAttribute('dy') ?? 0), 0);
}

describe('splitChemLabel', () => {
  it('subscripts counts and superscripts the charge of a speciation label', () => {
    expect(splitChemLabel('[Mg(TFSI)(DME)2]+')).toEqual([
      { text: '[Mg(TFSI)(DME)', kind: 'normal' },
      { text: '2', kind: 'sub' },
      { text: ']', kind: 'normal' },
      { text: '+', kind: 'sup' },
    ]);
  });

  it('handles formulas inside ligands, multi-digit counts and a negative charge with a true minus', () => {
    const p = splitChemLabel('[MgCl(H2O)12]2-');
    expect(p.map((x) => x.text).join('')).toBe('[MgCl(H2O)12]2\u2212');
    expect(p.filter((x) => x.kind === 'sub').map((x) => x.text)).toEqual(['2', '12']);
    expect(p[p.length - 1]).toEqual({ text: '2\u2212', kind: 'sup' });
  });

  it('leaves the empty shell and uncharged labels without a superscript', () => {
    expect(splitChemLabel('[Mg]2+').map((x) => x.kind)).toEqual(['normal', 'sup']);
    expect(splitChemLabel('[Mg(TFSI)2(DME)2]').some((x) => x.kind === 'sup')).toBe(false);
  });

  it('leaves text that is not a bracketed label alone', () => {
    expect(splitChemLabel('PF6 salt')).toEqual([{ text: 'PF6 salt', kind: 'normal' }]);
  });
});

describe('chemLabelSvg and chemTextSvg', () => {
  it('produce well-formed markup whose text reads as the label', () => {
    const doc = wrap(chemLabelSvg('[Mg(TFSI)4(DME)]2-', 12));
    expect(doc.documentElement.textContent).toBe('[Mg(TFSI)4(DME)]2\u2212');
  });

  it('restores the baseline after an embedded label so following text is not shifted', () => {
    const doc = wrap(chemTextSvg('fraction of [Mg(DME)3]2+ and [Mg]2+ shells', 12));
    expect(doc.documentElement.textContent).toBe('fraction of [Mg(DME)3]2+ and [Mg]2+ shells');
    expect(netDy(doc)).toBeCloseTo(0, 6);
  });

  it('escapes the text around labels', () => {
    const doc = wrap(chemTextSvg('a < b & [Mg]2+', 12));
    expect(doc.documentElement.textContent).toBe('a < b & [Mg]2+');
  });
});

describe('chemLabelHtml', () => {
  it('uses sub and sup elements', () => {
    expect(chemLabelHtml('[Mg(DME)3]2+')).toBe('[Mg(DME)<sub>3</sub>]<sup>2+</sup>');
  });
});
