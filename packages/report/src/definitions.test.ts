import { describe, expect, it } from 'vitest';
import { DEFINITIONS, definitionsText } from './definitions.js';

describe('definitions', () => {
  it('cover every quantity of the report with a unique id', () => {
    const ids = DEFINITIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['def-rdf', 'def-running-cn', 'def-cutoff', 'def-shell', 'def-coordination', 'def-denticity', 'def-speciation', 'def-pairing', 'def-errors', 'def-residence']) expect(ids).toContain(id);
  });

  it('state the MDAnalysis rdf normalisation and the running coordination number exactly', () => {
    const rdf = DEFINITIONS.find((d) => d.id === 'def-rdf')!;
    expect(rdf.formulas.join('\n')).toContain("g_k = count_k / ( F · (N_pairs / ⟨V⟩) · 4/3 π (r_{k+1}³ − r_k³) )");
    expect(DEFINITIONS.find((d) => d.id === 'def-running-cn')!.formulas[0]).toBe('n(r_{k+1}) = Σ_{m ≤ k} count_m / (F · N_ref)');
  });

  it('print as wrapped plain text for the terminal', () => {
    const text = definitionsText(70);
    for (const d of DEFINITIONS) expect(text).toContain(`${d.title}\n${'-'.repeat(d.title.length)}`);
    for (const line of text.split('\n')) if (!line.startsWith('    ')) expect(line.length).toBeLessThanOrEqual(70);
    expect(text.endsWith('\n')).toBe(true);
  });
});
