import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, MemoryByteSource, OptionError, anonymousTopology, cloneFrame, createFrame, type Frame } from '@solvscope/core';
import { FORMATS, TRICLINIC } from '@solvscope/fixtures';
import type { ByteSink } from '../format.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { openTrr } from '../trr/trr-reader.js';
import { openXtc, xtcFormat } from './index.js';

class MemorySink implements ByteSink {
  chunks: Uint8Array[] = [];
  closed = false;
  constructor(readonly name = 'out.xtc') {}
  async write(bytes: Uint8Array): Promise<void> {
    this.chunks.push(bytes.slice());
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

async function allFrames(path: string, open: typeof openXtc | typeof openTrr): Promise<Frame[]> {
  const src = await open(await fileSource(path));
  const out: Frame[] = [];
  for await (const f of src.frames({ reuse: false })) out.push(cloneFrame(f));
  await src.close();
  return out;
}

async function writeXtc(frames: Frame[], precision?: number, atoms?: Int32Array): Promise<Uint8Array> {
  const sink = new MemorySink();
  const n = atoms ? atoms.length : frames[0].positions.length / 3;
  const w = xtcFormat.createWriter!(sink, { topology: anonymousTopology(n), precision });
  for (const f of frames) await w.writeFrame(f, atoms);
  await w.close();
  expect(sink.closed).toBe(true);
  return sink.bytes();
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

const gmx = spawnSync('gmx', ['--version'], { encoding: 'utf8' });
const hasGmx = gmx.status === 0;
const gmxNote = hasGmx ? '' : ' [skipped: gmx not found on PATH]';

describe('xtc writer', () => {
  it('re-encodes formats.xtc byte for byte (same integers, same compression as GROMACS)', async () => {
    const frames = await allFrames(FORMATS.xtc, openXtc);
    const out = await writeXtc(frames, 1000);
    const orig = new Uint8Array(readFileSync(FORMATS.xtc));
    expect(out.length).toBe(orig.length);
    expect(Buffer.from(out).equals(Buffer.from(orig))).toBe(true);
  });

  for (const precision of [1000, 100, 1e4]) {
    it(`round-trips full-precision TRR positions within 0.5/precision nm at precision ${precision}`, async () => {
      const frames = await allFrames(TRICLINIC.trr, openTrr);
      const back = await openXtc(new MemoryByteSource('rt.xtc', await writeXtc(frames, precision)));
      expect(back.frameCount).toBe(frames.length);
      for (const i of [0, 17, frames.length - 1]) {
        const f = await back.readFrame(i);
        // Å: 10 · 0.5/precision nm, plus float32 rounding of ~30 Å values
        expect(maxDiff(f.positions, frames[i].positions)).toBeLessThanOrEqual(5 / precision + 1e-5);
        expect(f.time).toBe(frames[i].time);
        expect(f.step).toBe(frames[i].step);
        for (let k = 0; k < 9; k++) expect(Math.abs(f.box![k] - frames[i].box![k])).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  it('writes only the selected atoms, in the given order', async () => {
    const frames = (await allFrames(FORMATS.xtc, openXtc)).slice(0, 2);
    const atoms = Int32Array.from([3065, 0, 1, 2, 100, 101, 102, 7, 8, 9, 10, 11]);
    const back = await openXtc(new MemoryByteSource('sel.xtc', await writeXtc(frames, 1000, atoms)));
    expect(back.atomCount).toBe(12);
    const f = await back.readFrame(1);
    atoms.forEach((a, k) => {
      for (let d = 0; d < 3; d++) expect(f.positions[3 * k + d]).toBe(frames[1].positions[3 * a + d]);
    });
  });

  it('gives frames without a time the written-frame count and frames without a box a zero box', async () => {
    const f = createFrame(12);
    for (let k = 0; k < 36; k++) f.positions[k] = k * 0.37;
    const back = await openXtc(new MemoryByteSource('nobox.xtc', await writeXtc([f, f, f])));
    const g = await back.readFrame(2);
    expect(g.time).toBe(2);
    expect(g.box).toBeNull();
  });

  it('rejects an invalid precision synchronously, naming the option', () => {
    for (const precision of [0, -5, NaN, Infinity]) {
      let err: unknown;
      try {
        xtcFormat.createWriter!(new MemorySink(), { topology: anonymousTopology(3), precision });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OptionError);
      expect((err as OptionError).context.option).toBe('precision');
    }
  });

  it('rejects frames whose atom count changes or disagrees with the topology', async () => {
    const w = xtcFormat.createWriter!(new MemorySink('x.xtc'), { topology: anonymousTopology(20) });
    await expect(w.writeFrame(createFrame(21))).rejects.toMatchObject({ code: 'MISMATCH', message: 'x.xtc: XTC frame 0: frame has 21 atoms to write, the topology has 20' });
    const w2 = xtcFormat.createWriter!(new MemorySink('y.xtc'), { topology: anonymousTopology(20) });
    await w2.writeFrame(createFrame(20));
    await expect(w2.writeFrame(createFrame(30), Int32Array.from({ length: 19 }, (_, k) => k))).rejects.toBeInstanceOf(FormatError);
    await expect(w2.writeFrame(createFrame(20), Int32Array.of(0, 1, 20))).rejects.toThrow('atom index 20 is outside');
  });

  it('rejects a coordinate that the precision cannot hold', async () => {
    const f = createFrame(12);
    f.positions[5] = 1e9;
    const w = xtcFormat.createWriter!(new MemorySink('big.xtc'), { topology: anonymousTopology(12) });
    await expect(w.writeFrame(f)).rejects.toMatchObject({ code: 'FORMAT' });
  });

  it(`is read by GROMACS: gmx check counts every frame and gmx trjconv decodes the same coordinates${gmxNote}`, { skip: !hasGmx, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solvscope-xtc-'));
    try {
      const frames = await allFrames(TRICLINIC.trr, openTrr);
      const precision = 1000;
      const xtc = join(dir, 'ours.xtc');
      writeFileSync(xtc, await writeXtc(frames, precision));
      const check = spawnSync('gmx', ['check', '-f', xtc], { encoding: 'utf8', timeout: 60_000 });
      expect(check.status).toBe(0);
      const text = check.stdout + check.stderr;
      expect(text).toMatch(new RegExp(`Coords\\s+${frames.length}\\s`));
      expect(text).toMatch(new RegExp(`Box\\s+${frames.length}\\s`));
      const trr = join(dir, 'back.trr');
      const conv = spawnSync('gmx', ['trjconv', '-f', xtc, '-o', trr], { input: '0\n', encoding: 'utf8', timeout: 60_000 });
      expect(conv.status).toBe(0);
      const back = await openTrr(memorySource(trr));
      expect(back.frameCount).toBe(frames.length);
      for (const i of [0, 25, frames.length - 1]) {
        const f = await back.readFrame(i);
        expect(maxDiff(f.positions, frames[i].positions)).toBeLessThanOrEqual(5 / precision + 1e-5);
        expect(f.time).toBeCloseTo(frames[i].time, 5);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
