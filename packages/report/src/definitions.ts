/**
 * The exact definitions behind every number in a report, as data: report.html renders them
 * in its "Definitions" section and the CLI can print them (`definitionsText()`). They restate
 * the formulas documented beside the analyses in @solvscope/core (analysis/rdf/rdf.ts,
 * analysis/rdf/first-shell.ts, analysis/solvation/README.md, analysis/stats.ts); change
 * them together.
 */

export interface Definition {
  /** Stable id (anchor in report.html). */
  id: string;
  /** Heading. */
  title: string;
  /** Formulas in plain Unicode text, one per entry (rendered monospaced). */
  formulas: string[];
  /** Explanatory paragraphs (plain text). */
  text: string[];
}

/** Every definition, in reading order. */
export const DEFINITIONS: readonly Definition[] = [
  {
    id: 'def-notation',
    title: 'Notation and units',
    formulas: [],
    text: [
      'i is an ion (one atom of the ion selection); j is a molecule of a partner species s; d is the minimum-image distance between two atoms (orthorhombic and triclinic cells), in Å. F is the number of frames analysed, ⟨V⟩ the mean box volume over those frames (Å³). Lengths are in Å, times in ps, charges in e, fractions in [0, 1].',
    ],
  },
  {
    id: 'def-rdf',
    title: 'Radial distribution function g(r)',
    formulas: [
      'count_k = Σ_frames #{(i ∈ ref, j ∈ sel) : r_k ≤ d(i, j) < r_{k+1}}',
      "norm 'rdf':     g_k = count_k / ( F · (N_pairs / ⟨V⟩) · 4/3 π (r_{k+1}³ − r_k³) )",
      "norm 'density': g_k = count_k / ( F · 4/3 π (r_{k+1}³ − r_k³) )",
      "norm 'none':    g_k = count_k / F",
      'r_k = r_min + k·Δr (bin edges);  reported r = (r_k + r_{k+1}) / 2 (bin centres)',
      'N_pairs = N_ref · N_sel − (excluded ordered pairs)',
    ],
    text: [
      "The default normalisation 'rdf' is identical to MDAnalysis InterRDF(norm='rdf'): the density is the number of counted pairs over the mean box volume. Self pairs are never counted; pairs in the same molecule or residue are excluded only when asked for, and then also removed from N_pairs.",
    ],
  },
  {
    id: 'def-running-cn',
    title: 'Running coordination number n(r)',
    formulas: [
      'n(r_{k+1}) = Σ_{m ≤ k} count_m / (F · N_ref)',
      '           = 4π ρ ∫₀^{r_{k+1}} g(r) r² dr,   ρ = N_pairs / (N_ref · ⟨V⟩)',
    ],
    text: [
      'n is the mean number of selected atoms within r of a reference atom. It is computed exactly from the integer pair counts and reported at the upper bin edges r_{k+1} (not the bin centres), so n at a cutoff on a bin edge needs no interpolation.',
    ],
  },
  {
    id: 'def-cutoff',
    title: 'First-shell cutoff',
    formulas: [
      'gs = running mean of g over w bins (w odd, nearest 0.22 Å; 11 bins for Δr = 0.02 Å), zero-padded',
      'peak = argmax gs;   minimum = argmin gs over [peak, peak + 2.5 Å] (first occurrence)',
      'cutoff = upper edge of the minimum bin;   raw minimum = smallest raw g within ± w/2 bins of it',
    ],
    text: [
      "An automatic cutoff ('auto') is the first minimum after the first peak of the smoothed g(r), which is robust to the noise of ion–ion and sparse ion–solvent histograms. The raw-histogram minimum is reported beside it (cutoffRaw). A cutoff given in Å overrides the automatic one for its species.",
    ],
  },
  {
    id: 'def-shell',
    title: 'First solvation shell',
    formulas: ['j ∈ shell(i, t)  ⇔  ∃ donor atom a of j with d(i, a) < r_s   (strict inequality)'],
    text: [
      "A molecule belongs to the first shell of an ion when at least one of its donor atoms lies within the cutoff r_s of its species. Donors default to the heteroatoms (every element except C and H: O, N, S, F, Cl …); a species may instead use a selection (e.g. H for BH₄⁻) or 'all' atoms (the solvation_analysis convention). An ion's own molecule is never in its shell. Every shell property below comes from this one list.",
    ],
  },
  {
    id: 'def-coordination',
    title: 'Coordination numbers',
    formulas: [
      'atom CN(i, t)     = #{donor atoms a of s : d(i, a) < r_s}',
      'molecule CN(i, t) = #{molecules j of s in shell(i, t)}',
      'mean = Σ_{i,t} CN / N_ion-frames;   distribution[k] = #{(i, t) : CN = k} / N_ion-frames',
    ],
    text: ['Both are counted per ion and frame (an ion-frame) and averaged over all ion-frames. Distributions list only non-zero entries.'],
  },
  {
    id: 'def-denticity',
    title: 'Denticity',
    formulas: [
      'κ(i, j, t) = #{donor atoms a of j : d(i, a) < r_s}   for each j ∈ shell(i, t)',
      'denticity[κ] = #{bound events with κ} / #{bound events}',
    ],
    text: [
      'A bound event is one molecule in the shell of one ion in one frame. κ counts that molecule’s donor atoms bound to the same ion: κ¹ monodentate, κ² bidentate (e.g. DME chelating through both ether oxygens, or TFSI through two sulfonyl oxygens).',
    ],
  },
  {
    id: 'def-speciation',
    title: 'Speciation labels',
    formulas: [
      'label = [ ion ligands ] charge',
      'charge = q_ion + Σ_s n_s · q_s   (rounded for the label: 2+, +, none, −, 2−)',
      'fraction(label) = #{(i, t) with that shell composition} / N_ion-frames',
    ],
    text: [
      'The shell of one ion in one frame is a multiset of species. The label lists the ion, then the ligands: anions, then neutral species (|q| < 0.5 e), then cations, each group sorted by name. A polyatomic ligand is written in parentheses, a one-atom ligand as its element symbol, and a count above 1 follows it (e.g. [Mg(TFSI)(DME)2]+, [Mg(DME)3]2+, [MgCl(H2O)5]+). Water is written H2O. An empty shell is listed as the bare ion, e.g. [Mg]2+. Entries are sorted by fraction, largest first.',
    ],
  },
  {
    id: 'def-pairing',
    title: 'Ion pairing (Seo–Henderson, from both sides)',
    formulas: [
      'anion side, per anion-frame:  n = #{cations whose shell holds the anion}',
      '    SSIP: n = 0   CIP: n = 1   AGG-I: n = 2   AGG-II: n ≥ 3',
      'cation side, per cation-frame:',
      '    SSIP: no anion in its shell',
      '    CIP:  anions in its shell, each in no other cation’s shell',
      '    AGG:  at least one anion of its shell also in another cation’s shell',
    ],
    text: [
      'Fractions are taken over anion-frames (number of anion molecules × frames) and cation-frames respectively. An anion is in a cation’s shell under the anion species’ own donors and cutoff. Reporting both sides follows Seo, Henderson et al. ("Electrolyte solvation and ionic association", J. Electrochem. Soc. 2012); tools that report only the cation side miss the bridging (AGG) anions.',
    ],
  },
  {
    id: 'def-clusters',
    title: 'Ion clusters',
    formulas: ['cluster = connected component of the graph {cations, anion molecules; edge when the anion is in the cation’s shell}'],
    text: [
      'Isolated cations and free anions are clusters of size 1. Size fractions are over all clusters of all frames; compositions (cations, anions) also report the share of cations and anions that belong to them.',
    ],
  },
  {
    id: 'def-errors',
    title: 'Standard errors (block averaging)',
    formulas: [
      'm_b = S_b / W_b   (block mean; W_b = ion-frames, anion-frames … in block b)',
      'm = Σ_b S_b / Σ_b W_b',
      'SE = sqrt( Σ_b w_b (m_b − m)² / ((B − 1) Σ_b w_b) ),   w_b = W_b / mean(W)',
    ],
    text: [
      'The trajectory is cut into B consecutive blocks of frames (the analysis chunks) and the spread of the block means estimates the standard error of every mean and fraction; with equal weights this is std(m_b)/√B. It is honest only when blocks are longer than the correlation time of the quantity. With fewer than 2 non-empty blocks the error is not estimated (null). The number of blocks is reported.',
    ],
  },
  {
    id: 'def-residence',
    title: 'Residence times',
    formulas: [
      'h_ij(t) = 1 if j ∈ shell(i, t), else 0',
      'C_I(τ) = Σ_ij Σ_t h(t) h(t+τ) / Σ_ij Σ_t h(t)                 (intermittent)',
      'C_C(τ) = Σ_ij Σ_t Π_{u=t..t+τ} h̃(u) / Σ_ij Σ_t h̃(t)           (continuous)',
      'τ = first τ with C(τ) < 1/e (linear interpolation)',
    ],
    text: [
      'Time origins t run over frames with t + τ inside the same contiguous stretch of frames. h̃ is h with absences shorter than the tolerance filled in (default tolerance 0: nothing is filled). intermittent_ps and continuous_ps are τ₁/ₑ of C_I and C_C. When C has not fallen below 1/e within the window (by default the trajectory length), the value reported is the window length, marked converged: false: the residence time is longer than the trajectory.',
    ],
  },
];

/**
 * The definitions as plain text for a terminal: headings underlined, formulas indented,
 * paragraphs wrapped at `width` columns (default 78).
 */
export function definitionsText(width = 78): string {
  const out: string[] = [];
  for (const d of DEFINITIONS) {
    out.push(d.title, '-'.repeat(Math.min(width, d.title.length)));
    for (const f of d.formulas) out.push('    ' + f);
    if (d.formulas.length) out.push('');
    for (const t of d.text) out.push(...wrap(t, width), '');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
