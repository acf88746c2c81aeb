import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACL2_WATER, MG_TFSI_DME, MGCL2_WATER } from '@solvscope/fixtures';
import { openTrajectory, shardEntries } from '@solvscope/node';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, SOLVSCOPE_CACHE_DIR: join(cwd, '.cache') } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

async function screen(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'solvscope-batch-'));
  for (const [name, set] of [
    ['mg', MGCL2_WATER],
    ['ca', CACL2_WATER],
  ] as const) {
    await mkdir(join(dir, 'runs', `${name}-r1`), { recursive: true });
    await copyFile(set.xtc, join(dir, 'runs', `${name}-r1`, 'prod.xtc'));
    await copyFile(set.gro, join(dir, 'runs', `${name}-r1`, 'conf.gro'));
  }
  await mkdir(join(dir, 'runs', 'dme'), { recursive: true });
  await copyFile(MG_TFSI_DME.xtc, join(dir, 'runs', 'dme', 'prod.xtc'));
  await copyFile(MG_TFSI_DME.gro, join(dir, 'runs', 'dme', 'conf.gro'));
  // a broken entry: XTC with a corrupted magic number
  const bad = new Uint8Array(await readFile(MGCL2_WATER.xtc)).slice(0, 200_000);
  bad[3] = 0x42;
  await mkdir(join(dir, 'runs', 'broken'), { recursive: true });
  await writeFile(join(dir, 'runs', 'broken', 'prod.xtc'), bad);
  await copyFile(MGCL2_WATER.gro, join(dir, 'runs', 'broken', 'conf.gro'));
  await writeFile(
    join(dir, 'screen.yaml'),
    `defaults:
  cutoff: 3.0
  frames: { step: 30 }
entries:
  - traj: "runs/*-r1/prod.xtc"
    top: "runs/$1-r1/conf.gro"
    ion: "name MG CA"
    labels: { ion: "$1", replica: 1 }
  - traj: runs/dme/prod.xtc
    top: runs/dme/conf.gro
    ion: "name MG"
    labels: { ion: dme, replica: 1 }
  - traj: runs/broken/prod.xtc
    top: runs/broken/conf.gro
    ion: "name MG"
    labels: { ion: broken, replica: 1 }
`,
  );
  return dir;
}

describe('solvscope batch', () => {
  it('runs every entry, keeps going past a broken one, resumes without work, and reruns only what a change affects', async () => {
    const dir = await screen();
    const first = await run(['batch', 'screen.yaml', '--out', 'out', '--workers', '1'], dir);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toContain('4 entries: 3 analysed, 0 unchanged, 1 failed');
    expect(first.stderr).toMatch(/failed: ion-broken_replica-1 .*prod\.xtc.*XTC/);
    const csv = await readFile(join(dir, 'out', 'results.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('entry,ion,replica,quantity,species,key,value,stderr,unit');
    expect(csv).toMatch(/ion-mg_replica-1,mg,1,coordination\.atoms,SOL,mean,6,0,atoms/);
    expect(csv).toMatch(/ion-dme_replica-1,dme,1,speciation,[^,]*,"?\[Mg\(DME\)3\]2\+"?,0\.16666/);
    expect(await readFile(join(dir, 'out', 'batch.html'), 'utf8')).toContain('ion-dme_replica-1/report.html');

    const again = await run(['batch', 'screen.yaml', '--out', 'out', '--workers', '1'], dir);
    expect(again.stdout).toContain('4 entries: 0 analysed, 3 unchanged, 1 failed');
    expect(await readFile(join(dir, 'out', 'results.csv'), 'utf8')).toBe(csv);

    const y = await readFile(join(dir, 'screen.yaml'), 'utf8');
    await writeFile(join(dir, 'screen.yaml'), y.replace('    ion: "name MG"\n    labels: { ion: dme', '    ion: "name MG"\n    cutoff: 2.8\n    labels: { ion: dme'));
    const changed = await run(['batch', 'screen.yaml', '--out', 'out', '--workers', '1'], dir);
    expect(changed.stdout).toContain('4 entries: 1 analysed, 2 unchanged, 1 failed');
    expect(changed.stderr).toContain('ion-dme_replica-1: done');
  });

  it('takes a list of files as one entry, a run in parts, with the results of the whole file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-batch-parts-'));
    await mkdir(join(dir, 'long'), { recursive: true });
    const t = await openTrajectory(MG_TFSI_DME.xtc, { cache: false });
    const off = t.index.offsets;
    await t.close();
    const bytes = await readFile(MG_TFSI_DME.xtc);
    await writeFile(join(dir, 'long', 'prod.part0001.xtc'), bytes.subarray(0, off[120]));
    await writeFile(join(dir, 'long', 'prod.part0002.xtc'), bytes.subarray(off[120]));
    await copyFile(MG_TFSI_DME.xtc, join(dir, 'whole.xtc'));
    await copyFile(MG_TFSI_DME.gro, join(dir, 'conf.gro'));
    await writeFile(
      join(dir, 'm.yaml'),
      `defaults: { ion: "name MG", top: conf.gro, cutoff: 2.8 }
entries:
  - traj: ["long/prod.part*.xtc"]
    labels: { run: parts }
  - traj: whole.xtc
    labels: { run: whole }
`,
    );
    const r = await run(['batch', 'm.yaml', '--out', 'out', '--workers', '0'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 entries: 2 analysed');
    const rows = (await readFile(join(dir, 'out', 'results.csv'), 'utf8')).trim().split('\n').slice(1);
    const of = (run: string) => rows.filter((l) => l.startsWith(`run-${run},`)).map((l) => l.slice(l.indexOf(',', l.indexOf(',') + 1)));
    expect(of('parts').length).toBeGreaterThan(20);
    expect(of('parts')).toEqual(of('whole'));
    const rep = JSON.parse(await readFile(join(dir, 'out', 'run-parts', 'report.json'), 'utf8'));
    expect(rep.provenance.trajectory.map((f: { name: string }) => f.name)).toEqual(['prod.part0001.xtc', 'prod.part0002.xtc']);
    await writeFile(join(dir, 'bad.yaml'), 'entries:\n  - traj: ["long/nothing*.xtc"]\n    top: conf.gro\n    ion: "name MG"\n');
    const bad = await run(['batch', 'bad.yaml', '--out', 'out2'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("manifest: entry 1: 'long/nothing*.xtc' matches no file");
  });

  it('splits a manifest into shards that cover every entry exactly once, and the merge equals an unsharded run', async () => {
    const entries = Array.from({ length: 11 }, (_, i) => i);
    const shards = [1, 2, 3].map((i) => shardEntries(entries, { index: i, count: 3 }));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(entries);
    const dir = await screen();
    const whole = await run(['batch', 'screen.yaml', '--out', 'whole', '--workers', '1'], dir);
    expect(whole.code).toBe(3);
    for (const s of ['1/2', '2/2']) await run(['batch', 'screen.yaml', '--out', 'sharded', '--shard', s, '--workers', '1'], dir);
    const merged = await run(['batch', 'screen.yaml', '--out', 'sharded', '--merge'], dir);
    expect(merged.stdout).toContain('merged 3 of 4 entries');
    expect(merged.code).toBe(3);
    const a = await readFile(join(dir, 'whole', 'results.csv'), 'utf8');
    const b = await readFile(join(dir, 'sharded', 'results.csv'), 'utf8');
    expect(b).toBe(a);
  });

  it('names the entry and key of a malformed manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'solvscope-bad-'));
    await writeFile(join(dir, 'm.yaml'), 'entries:\n  - traj: a.xtc\n    cutof: 3\n');
    const r = await run(['batch', 'm.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("manifest: entry 1: unknown key 'cutof'");
    await writeFile(join(dir, 'g.yaml'), 'entries:\n  - traj: "nothing/*.xtc"\n    ion: "name MG"\n');
    const g = await run(['batch', 'g.yaml'], dir);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain("'nothing/*.xtc' matches no file");
  });
});
