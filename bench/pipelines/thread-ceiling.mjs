// What the machine gives to N threads of the same process: the speed-up from 1 to N worker
// threads for (a) XTC decoding alone (frames() over disjoint parts of the file: file reads +
// decode, no analysis), (b) the XTC codec alone on bytes already in memory, and (c) a pure
// arithmetic loop (one dependent chain of additions, no memory traffic). A decode-bound
// pipeline cannot scale better than (a)/(b); (c) shows whether the cores themselves are free
// (on virtual CPUs that are SMT siblings on the host, (c) still scales ~2× while throughput-
// bound code like the codec does not).
// Printed as JSON on stdout; scaling.mjs runs it once per repetition beside the rdf runs.
//
//   node bench/pipelines/thread-ceiling.mjs TRAJ.xtc [THREADS]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

function arithmetic() {
  let s = 0;
  for (let i = 0; i < 2e8; i++) s += i * 1e-9;
  return s;
}

if (isMainThread) {
  const [traj, nArg] = process.argv.slice(2);
  const n = Number(nArg ?? 2);
  const { openTrajectory } = await import('../../packages/node/dist/index.js');
  const src = await openTrajectory(traj);
  const frames = src.frameCount;
  await src.close();
  // wall time of the work itself (threads started and warmed up first, then released together)
  const run = (kind, parts) =>
    new Promise((resolve, reject) => {
      const ws = parts.map(([a, b]) => new Worker(new URL(import.meta.url), { workerData: { kind, traj, a, b } }));
      let ready = 0;
      let done = 0;
      let t0 = 0;
      for (const w of ws) {
        w.on('error', reject);
        w.on('message', (m) => {
          if (m === 'ready' && ++ready === ws.length) {
            t0 = performance.now();
            for (const x of ws) x.postMessage('go');
          } else if (m === 'done' && ++done === ws.length) {
            const t = (performance.now() - t0) / 1000;
            Promise.all(ws.map((x) => x.terminate())).then(() => resolve(t));
          }
        });
      }
    });
  const split = (k) => Array.from({ length: k }, (_, i) => [Math.floor((i * frames) / k), Math.floor(((i + 1) * frames) / k)]);
  const decode1 = await run('decode', split(1));
  const decodeN = await run('decode', split(n));
  const codec1 = await run('codec', split(1));
  const codecN = await run('codec', split(n));
  const compute1 = await run('arithmetic', [[0, 0]]);
  const computeN = await run('arithmetic', Array.from({ length: n }, () => [0, 0]));
  console.log(JSON.stringify({ threads: n, frames, decode1_s: decode1, decodeN_s: decodeN, decodeSpeedup: decode1 / decodeN, codec1_s: codec1, codecN_s: codecN, codecSpeedup: codec1 / codecN, arithmetic1_s: compute1, arithmeticN_s: computeN, arithmeticSpeedup: (n * compute1) / computeN }));
} else {
  const { kind, traj, a, b } = workerData;
  let work;
  if (kind === 'decode') {
    const { openTrajectory } = await import('../../packages/node/dist/index.js');
    const src = await openTrajectory(traj);
    for await (const f of src.frames({ start: 0, stop: 3 })) void f; // JIT warm-up
    work = async () => {
      let s = 0;
      for await (const f of src.frames({ start: a, stop: b })) s += f.positions[0];
      return s;
    };
  } else if (kind === 'codec') {
    const { readFileSync } = await import('node:fs');
    const { openXtc, decodeXtcFrame } = await import('../../packages/formats/dist/index.js');
    const { FileByteSource } = await import('../../packages/node/dist/index.js');
    const src = await openXtc(await FileByteSource.open(traj));
    const off = src.index.offsets;
    // only this thread's frames, copied out of the file
    const bytes = new Uint8Array(readFileSync(traj).subarray(off[a], off[b]));
    const into = await src.readFrame(a);
    const decode = (i) => decodeXtcFrame(bytes.subarray(off[i] - off[a], off[i + 1] - off[a]), into, { atomCount: src.atomCount });
    for (let i = a; i < Math.min(b, a + 3); i++) decode(i); // JIT warm-up
    work = async () => {
      for (let i = a; i < b; i++) decode(i);
    };
  } else {
    arithmetic(); // warm-up
    work = async () => arithmetic();
  }
  parentPort.once('message', async () => {
    await work();
    parentPort.postMessage('done');
  });
  parentPort.postMessage('ready');
}
