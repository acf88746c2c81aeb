// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { sampleReport } from '../testing/sample-report.js';
import { links, parseXml } from '../testing/xml.js';
import { labelledTidyRows, type LabelledTidyRow } from '../tables/tidy.js';
import { renderBatchHtml, type BatchEntry } from './batch-html.js';

/** Three replicas of two salts at three concentrations; CIP values chosen per entry. */
function batch(): { entries: BatchEntry[]; rows: LabelledTidyRow[] } {
  const entries: BatchEntry[] = [];
  const rows: LabelledTidyRow[] = [];
  const cip: Record<string, number[]> = { 'Mg(TFSI)2': [0.3, 0.4, 0.5], 'Ca(TFSI)2': [0.1, 0.1, 0.1] };
  for (const salt of Object.keys(cip)) {
    for (const c of [0.5, 1, 2]) {
      cip[salt].forEach((v, rep) => {
        const name = `${salt}-${c}-${rep + 1}`;
        const r = sampleReport();
        r.pairing!.cation.CIP = { fraction: v + c, stderr: 0.01 };
        const failed = salt === 'Ca(TFSI)2' && c === 2 && rep === 2;
        entries.push({ name, labels: { salt, concentration: c, replica: rep + 1 }, status: failed ? 'failed' : 'ok', error: failed ? 'prod.xtc: XTC frame 12: truncated' : undefined, reportHref: `${name}/report.html`, frames: 301 });
        if (!failed) rows.push(...labelledTidyRows(name, { salt, concentration: c, replica: rep + 1 }, r));
      });
    }
  }
  return { entries, rows };
}

describe('renderBatchHtml', () => {
  const { entries, rows } = batch();
  const page = renderBatchHtml(entries, rows, { xLabel: 'concentration (mol/kg)' });
  const doc = new DOMParser().parseFromString(page, 'text/html');

  it('plots the default quantities against the varying numeric label, one series per other label', () => {
    const svgs = Array.from(doc.querySelectorAll('#charts svg'));
    // CIP, SSIP, AGG, DME CN, TFSI CN, the most common shell
    expect(svgs).toHaveLength(6);
    for (const s of svgs) parseXml(s.outerHTML);
    const first = svgs[0];
    expect(first.querySelector('title')!.textContent).toBe('CIP fraction, cation side');
    const texts = Array.from(first.querySelectorAll('text')).map((t) => t.textContent);
    expect(texts).toContain('Mg(TFSI)2');
    expect(texts).toContain('Ca(TFSI)2');
    expect(texts).toContain('concentration (mol/kg)');
  });

  it('averages replicas with the standard error across them', () => {
    // Mg(TFSI)2 at 1 mol/kg: 1.3, 1.4, 1.5 → mean 1.4, SE = 0.1/√3 = 0.0577 (printed to one digit).
    const tips = Array.from(doc.querySelectorAll('#charts svg'))[0].querySelectorAll('g.point > title');
    const text = Array.from(tips).map((t) => t.textContent);
    expect(text).toContain('Mg(TFSI)2, 1: 1.40 ± 0.06');
    // Ca(TFSI)2 at 2 mol/kg: two replicas left, both 2.1 → SE 0.
    expect(text).toContain('Ca(TFSI)2, 2: 2.1 ± 0');
  });

  it('lists every entry with its status, the error of a failed one and a relative link to its report', () => {
    const trs = Array.from(doc.querySelectorAll('#entries tbody tr'));
    expect(trs).toHaveLength(18);
    const failed = trs.find((tr) => tr.textContent!.includes('failed'))!;
    expect(failed.textContent).toContain('prod.xtc: XTC frame 12: truncated');
    expect(doc.querySelector('.lede')!.textContent).toBe('17 of 18 entries complete, 1 failed or partial.');
    for (const l of links(doc)) expect(l).not.toMatch(/^(https?:)?\/\//i);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
  });

  it('plots chosen quantities against a chosen label', () => {
    const d = new DOMParser().parseFromString(
      renderBatchHtml(entries, rows, { x: 'salt', groupBy: 'concentration', quantities: [{ quantity: 'coordination.molecules', species: 'DME', key: 'mean' }] }),
      'text/html',
    );
    const svgs = d.querySelectorAll('#charts svg');
    expect(svgs).toHaveLength(1);
    expect(svgs[0].querySelector('title')!.textContent).toBe('DME coordination number (molecules)');
  });

  it('refuses an unknown label and an absolute report link', () => {
    expect(() => renderBatchHtml(entries, rows, { x: 'temperature' })).toThrow(/x must be one of the labels "salt", "concentration", "replica" \(got "temperature"\)/);
    expect(() => renderBatchHtml([{ ...entries[0], reportHref: 'file:///etc/passwd' }], rows)).toThrow(/reportHref of .* must be a relative path/);
  });
});
