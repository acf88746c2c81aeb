#!/usr/bin/env node
import { main } from './main.js';

const ac = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  ac.abort();
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
  stderrRaw: (s) => process.stderr.write(s),
  isTTY: !!process.stderr.isTTY,
  signal: ac.signal,
});
process.exitCode = code;
