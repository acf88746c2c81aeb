// @vitest-environment jsdom
import { OptionError } from '@solvscope/core';
import { describe, expect, it } from 'vitest';
import { DEFINITIONS } from '../definitions.js';
import { sampleReport } from '../testing/sample-report.js';
import { links, parseXml } from '../testing/xml.js';
import { REPORT_SECTIONS, renderReportHtml } from './report-html.js';

function html(text: string): Document {
  return new DOMParser().parseFromString(text, 'text/html');
}

describe('renderReportHtml', () => {
  const report = sampleReport();
  const page = renderReportHtml(report, { csvFiles: { 'speciation.csv': 'speciation.csv', 'rdf.csv': './rdf.csv' } });
  const doc = html(page);

  it('has every section, in order, each with a heading', () => {
    const ids = Array.from(doc.querySelectorAll('main > section')).map((s) => s.id);
    expect(ids).toEqual([...REPORT_SECTIONS, 'tables']);
    for (const id of REPORT_SECTIONS) expect(doc.querySelector(`#${id} > h2`)?.textContent?.length).toBeGreaterThan(0);
    expect(doc.querySelector('h1')?.textContent).toBe('Solvation of Mg in prod.xtc');
  });

  it('embeds every chart as well-formed inline SVG with unique ids', () => {
    const svgs = Array.from(doc.querySelectorAll('svg'));
    // 2 g(r) + 2 × 2 CN histograms + speciation + pairing
    expect(svgs).toHaveLength(8);
    for (const s of svgs) parseXml(s.outerHTML);
    const ids = Array.from(doc.querySelectorAll('[id]')).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.querySelectorAll('#rdf svg')).toHaveLength(2);
    expect(doc.querySelectorAll('#pairing svg')).toHaveLength(1);
  });

  it('loads nothing from the network and runs no scripts', () => {
    for (const l of links(doc)) expect(l).not.toMatch(/^(https?:)?\/\//i);
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(doc.querySelectorAll('script, link[rel=stylesheet], img, iframe')).toHaveLength(0);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
  });

  it('shows the provenance: version, files with sizes and hashes, frames, selections, cutoffs, normalisation', () => {
    const p = doc.querySelector('#provenance')!.textContent!;
    for (const f of report.provenance.inputs!) {
      expect(p).toContain(f.path);
      expect(p).toContain(f.sha256!);
      expect(p).toContain(`${f.size_bytes} B`);
    }
    expect(p).toContain('0–300, stride 1, 301 frames');
    expect(p).toContain('resname MG and name MG');
    expect(p).toContain('name O1 O2 O3 O4');
    expect(p).toContain("norm 'rdf'");
    expect(p).toContain('2.48');
    expect(p).toContain('workers = 2');
  });

  it('lists the tables: speciation with sub/superscripts, coordination with mean ± stderr, pairing, residence', () => {
    const spec = doc.querySelector('#speciation table')!;
    expect(spec.querySelectorAll('tbody tr')).toHaveLength(4);
    expect(spec.innerHTML).toContain('[Mg(DME)<sub>3</sub>]<sup>2+</sup>');
    const coord = doc.querySelector('#coordination table')!.textContent!;
    expect(coord).toContain('4.25 ± 0');
    expect(coord).toContain('κ² 0.962');
    expect(doc.querySelector('#pairing table')!.textContent).toContain('0.125 ± 0.004');
    expect(doc.querySelector('#residence table')!.textContent).toContain('> 300');
    expect(doc.querySelector('#clusters')!.textContent).toContain('mean size 1.44 ions');
  });

  it('states every definition', () => {
    for (const d of DEFINITIONS) {
      const el = doc.getElementById(d.id);
      expect(el?.querySelector('h3')?.textContent).toBe(d.title);
      for (const f of d.formulas) expect(el!.querySelector('pre')!.textContent).toContain(f);
    }
  });

  it('links the CSV tables by relative path only', () => {
    expect(Array.from(doc.querySelectorAll('#tables a')).map((a) => a.getAttribute('href'))).toEqual(['speciation.csv', './rdf.csv']);
    expect(() => renderReportHtml(report, { csvFiles: { 'x.csv': 'https://example.org/x.csv' } })).toThrow(OptionError);
    expect(() => renderReportHtml(report, { csvFiles: { 'x.csv': '//host/x.csv' } })).toThrow(/must be a relative path/);
  });

  it('escapes text from the report', () => {
    const evil = sampleReport();
    evil.title = '<script>alert(1)</script> & co';
    evil.warnings = ['<img src=x onerror=alert(1)>'];
    evil.speciation[0].label = '[Mg(<b>)]+';
    const d = html(renderReportHtml(evil));
    expect(d.querySelectorAll('script, img, b')).toHaveLength(0);
    expect(d.querySelector('h1')!.textContent).toBe('<script>alert(1)</script> & co');
    expect(d.querySelector('#warnings')!.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('is deterministic and reads no clock', () => {
    expect(renderReportHtml(sampleReport())).toBe(renderReportHtml(sampleReport()));
  });

  it('copes with a report without pairing, clusters, residence or warnings', () => {
    const bare = { ...sampleReport(), pairing: null, clusters: null, residence: [], warnings: [] };
    const d = html(renderReportHtml(bare));
    expect(d.querySelector('#pairing')!.textContent).toContain('not analysed');
    expect(d.querySelector('#warnings')!.textContent).toContain('None');
    expect(d.querySelectorAll('svg')).toHaveLength(7);
  });
});
