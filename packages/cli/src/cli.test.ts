import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS, MG_TFSI_DME, MGCL2_WATER, TRICLINIC } from '@solvscope/fixtures';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, SOLVSCOPE_CACHE_DIR: join(tmpdir(), 'solvscope-test-cache') }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('solvscope CLI (real binary as a subprocess)', () => {
  it('prints help with the commands and exit codes, and per-command help with examples', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['info', 'convert', 'rdf', 'analyze']) expect(h.stdout).toContain(c);
    expect(h.stdout).toContain('Exit codes');
    const a = await run(['analyze', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Examples:');
    expect(a.stdout).toContain('--ion SEL');
  });

  it('rejects an unknown command and an unknown option with exit code 2 and no stack trace', async () => {
    const u = await run(['analyse']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown command 'analyse' \(did you mean 'analyze'\?\)/);
    const o = await run(['info', FORMATS.xtc, '--bogus']);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("'--bogus'");
    expect(o.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the option and the allowed values for a bad value', async () => {
    const r = await run(['rdf', '--traj', MGCL2_WATER.xtc, '--top', MGCL2_WATER.gro, '--ref', 'name MG', '--sel', 'name OW', '--norm', 'gofr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--norm must be one of rdf, density, none (got "gofr")');
    const m = await run(['rdf', '--traj', MGCL2_WATER.xtc, '--top', MGCL2_WATER.gro, '--ref', 'name MG', '--sel', 'name OW', '--r-max=-3']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--r-max must be greater than 0 (got "-3")');
  });

  it('reports a missing file by name with exit code 1', async () => {
    const r = await run(['info', 'no/such/file.xtc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no/such/file.xtc: cannot open: no such file');
  });

  it('info --json gives format, atoms, frames, box and species', async () => {
    const r = await run(['info', MG_TFSI_DME.xtc, '--top', MG_TFSI_DME.gro, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: 'xtc', atoms: 3572, frames: 301, box: 'orthorhombic' });
    expect(j.species.map((s: { name: string; formula: string; count: number }) => [s.name, s.formula, s.count])).toEqual([
      ['MG', 'Mg', 12],
      ['TFSI', 'C2F6NO4S2', 24],
      ['DME', 'C4H10O2', 200],
    ]);
    const t = await run(['info', TRICLINIC.xtc, '--json']);
    expect(JSON.parse(t.stdout).box).toBe('triclinic');
  });

  it('reports an atom-count mismatch between topology and trajectory naming both files', async () => {
    const r = await run(['info', MG_TFSI_DME.xtc, '--top', MGCL2_WATER.gro]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/topology .*mgcl2-water\/final\.gro has 3066 atoms but the trajectory has 3572/);
  });

  it('converts XTC to PDB, GRO and XYZ with a frame range and a selection, and the result reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-cli-'));
    for (const ext of ['pdb', 'gro', 'xyz', 'xtc']) {
      const out = join(dir, `shells.${ext}`);
      const r = await run(['convert', MG_TFSI_DME.xtc, out, '--top', MG_TFSI_DME.gro, '--frames', '0:30:10', '--select', 'resname MG TFSI']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('wrote 3 frames of 372 atoms');
      const back = await run(['info', out, ...(ext === 'xtc' ? [] : []), '--json']);
      expect(back.code, back.stderr).toBe(0);
      expect(JSON.parse(back.stdout)).toMatchObject({ atoms: 372, frames: 3 });
    }
    const bad = await run(['convert', MG_TFSI_DME.xtc, join(dir, 'x.docx')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('choose an extension with a writer');
  });

  it('computes g(r) as JSON with r, g and n arrays matching MDAnalysis', async () => {
    const r = await run(['rdf', '--traj', MGCL2_WATER.xtc, '--top', MGCL2_WATER.gro, '--ref', 'name MG', '--sel', 'name OW', '--json', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const ref = JSON.parse(await readFile(MGCL2_WATER.ref, 'utf8')).rdf['MG-OW'].MDAnalysis;
    expect(j.r.length).toBe(600);
    let maxd = 0;
    for (let k = 0; k < 600; k++) maxd = Math.max(maxd, Math.abs(j.g[k] - ref.rdf[k]));
    expect(maxd).toBeLessThan(1e-3);
    expect(j.n[j.n.length - 1]).toBeGreaterThan(6);
  });

  it('reads several trajectory files as one run (repeated --traj or arguments, not both): the g(r) of the whole file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-cli-parts-'));
    const bytes = await readFile(MGCL2_WATER.xtc);
    // cut the XTC at a frame boundary: the first frame header (magic and atom count, as in the
    // file's first 8 bytes) after 40 % of the bytes
    const head = bytes.subarray(0, 8);
    let cut = Math.floor(bytes.length * 0.4);
    while (!bytes.subarray(cut, cut + 8).equals(head)) cut++;
    const [a, b] = [join(dir, 'run.part0001.xtc'), join(dir, 'run.part0002.xtc')];
    await writeFile(a, bytes.subarray(0, cut));
    await writeFile(b, bytes.subarray(cut));
    const args = ['--top', MGCL2_WATER.gro, '--ref', 'name MG', '--sel', 'name OW', '--json', '--workers', '0'];
    const whole = await run(['rdf', MGCL2_WATER.xtc, ...args]);
    const asArgs = await run(['rdf', a, b, ...args]);
    const asTraj = await run(['rdf', '--traj', a, '--traj', b, ...args]);
    expect(asArgs.code, asArgs.stderr).toBe(0);
    for (const r of [asArgs, asTraj]) {
      const j = JSON.parse(r.stdout);
      const w = JSON.parse(whole.stdout);
      expect(j.frames).toBe(301);
      expect(j.counts).toEqual(w.counts);
      expect(j.g).toEqual(w.g);
    }
    const both = await run(['rdf', '--traj', a, b, ...args]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either with --traj or as arguments/);
  });

  it('analyze writes report.json and tables and reproduces the reference speciation of Mg(TFSI)2/DME', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-an-'));
    const cfg = join(dir, 'cfg.yaml');
    await writeFile(cfg, 'species:\n  TFSI:\n    donors: "name O1 O2 O3 O4"\n    cutoff: 2.8\n  DME:\n    cutoff: 2.8\n');
    const r = await run(['analyze', '--top', MG_TFSI_DME.gro, '--traj', MG_TFSI_DME.xtc, '--ion', 'name MG', '--config', cfg, '--out', dir, '--no-hash']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[Mg(DME)3]2+');
    const files = await readdir(dir);
    for (const f of ['report.json', 'rdf.csv', 'coordination.csv', 'speciation.csv', 'pairing.csv', 'residence.csv']) expect(files).toContain(f);
    const rep = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const frac = Object.fromEntries(rep.speciation.map((s: { label: string; fraction: number }) => [s.label, s.fraction]));
    expect(frac['[Mg(TFSI)2(DME)2]']).toBeCloseTo(8 / 12, 12);
    expect(frac['[Mg(DME)3]2+']).toBeCloseTo(2 / 12, 12);
    expect(rep.pairing.cation.CIP.fraction).toBeCloseTo(0.6667, 4);
    const dme = rep.coordination.find((c: { species: string }) => c.species === 'DME');
    expect(dme.atoms.mean).toBeCloseTo(4.25, 12);
    expect(dme.molecules.mean).toBeCloseTo(2.1667, 4);
    expect(rep.settings.cutoffs.every((c: { source: string }) => c.source === 'given')).toBe(true);
  });

  it('analyze names the option when the ion selection is empty or the config has an unknown species', async () => {
    const e = await run(['analyze', '--top', MG_TFSI_DME.gro, '--traj', MG_TFSI_DME.xtc, '--ion', 'name CA']);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain("--ion 'name CA' selects no atoms");
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-cfg-'));
    const cfg = join(dir, 'c.json');
    await writeFile(cfg, JSON.stringify({ species: { PF6: { cutoff: 3 } } }));
    const u = await run(['analyze', '--top', MG_TFSI_DME.gro, '--traj', MG_TFSI_DME.xtc, '--ion', 'name MG', '--config', cfg]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("unknown species 'PF6'");
  });
});

describe('solvscope analyze with automatic cutoffs', () => {
  it('treats an outer-sphere anion as solvent-separated: MgCl2/water is all SSIP [Mg(H2O)6]2+ as in the reference', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-auto-'));
    const r = await run(['analyze', '--top', MGCL2_WATER.gro, '--traj', MGCL2_WATER.xtc, '--ion', 'name MG', '--out', dir, '--no-hash', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const ref = JSON.parse(await readFile(MGCL2_WATER.ref, 'utf8'));
    expect(rep.pairing.cation.SSIP.fraction).toBe(ref.pairing.fractions.SSIP);
    expect(rep.speciation.map((s: { label: string }) => s.label)).toEqual(['[Mg(H2O)6]2+']);
    const sol = rep.coordination.find((c: { species: string }) => c.species === 'SOL');
    expect(sol.atoms.mean).toBe(ref.coordination['MG-OW'].mean);
    // the cutoff lies in the g = 0 gap between first and second shell
    const cut = rep.settings.cutoffs.find((c: { species: string }) => c.species === 'SOL').cutoff_A;
    expect(cut).toBeGreaterThan(2.4);
    expect(cut).toBeLessThan(3.3);
  });
});
