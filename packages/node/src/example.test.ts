import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('the Node API example in the package README', () => {
  it('runs and prints the reference speciation of the bundled example', async () => {
    const script = fileURLToPath(new URL('../examples/solvation-report.mjs', import.meta.url));
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [script], { cwd: fileURLToPath(new URL('..', import.meta.url)) }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))),
    );
    expect(out).toContain('301 frames, 12 Mg');
    expect(out).toMatch(/\[Mg\(TFSI\)2\(DME\)2\]\s+66\.7 %/);
    expect(out).toMatch(/\[Mg\(DME\)3\]2\+\s+16\.7 %/);
    expect(out).toContain('cation CIP fraction 0.6667');
  });
});
