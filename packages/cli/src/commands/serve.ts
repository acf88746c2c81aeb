import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OptionError } from '@solvscope/core';
import { isLoopback, startServer } from '@solvscope/node';
import { numberOption, parse } from '../args.js';
import type { Command } from '../command.js';

/** The built viewer, if present (apps/viewer/dist beside the CLI package in the repo). */
function viewerDir(): string | undefined {
  const p = fileURLToPath(new URL('../../../../apps/viewer/dist', import.meta.url));
  return existsSync(p) ? p : undefined;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the 3D viewer and read-only access to trajectories under DIR (HTTP range requests)',
  usage: 'solvscope serve DIR [--port N] [--host ADDR] [--token T]',
  help: `Serves the viewer at / and the files under DIR at /files/PATH with HTTP range requests, so
the viewer reads multi-GB trajectories frame by frame without copying them. For data on a
cluster, run it there and open an SSH tunnel:  ssh -L 8642:127.0.0.1:8642 cluster

Safety: binds to 127.0.0.1 unless --host is given; on any other address a token is required
(printed at start; pass it as ?token=… or 'Authorization: Bearer …'); only GET/HEAD; paths
outside DIR (.., encoded separators, symlinks leading out) are refused; nothing is written.

Options:
  --port N      port (default 8642; 0 = any free port)
  --host ADDR   address to bind (default 127.0.0.1)
  --token T     use this token instead of a random one

Example:
  solvscope serve /scratch/me/electrolytes --port 8642`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } }, 'serve');
    const dir = io.requirePositional(positionals, 0, 'DIR', 'serve');
    io.noMorePositionals(positionals, 1, 'serve');
    if (!existsSync(dir)) throw new OptionError('OPTION', `DIR '${dir}' does not exist`, { option: 'DIR' });
    const host = values.host ?? '127.0.0.1';
    const srv = await startServer({ root: dir, viewerDir: viewerDir(), host, port: numberOption(values.port, '--port', { min: 0, integer: true }) ?? 8642, token: values.token ?? (isLoopback(host) ? null : undefined) });
    io.out(`serving ${dir} read-only at ${srv.url}${srv.token ? `\ntoken: ${srv.token} (required: not a loopback address)` : ''}\n(Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await srv.close();
    return 0;
  },
};
