import { AbortError, OptionError, SOLVSCOPE_VERSION, SolvscopeError } from '@solvscope/core';
import { defaultRegistry } from '@solvscope/formats';
import { EXIT } from './args.js';
import { makeIO, type Command, type IO } from './command.js';
import { convertCommand } from './commands/convert.js';
import { infoCommand } from './commands/info.js';
import { analyzeCommand } from './commands/analyze.js';
import { rdfCommand } from './commands/rdf.js';
import { batchCommand } from './commands/batch.js';
import { serveCommand } from './commands/serve.js';

export const VERSION = SOLVSCOPE_VERSION;

export const COMMANDS: Command[] = [infoCommand, convertCommand, rdfCommand, analyzeCommand, batchCommand, serveCommand];

function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `solvscope ${VERSION} — solvation shells of ions in MD trajectories

Usage: solvscope COMMAND [options]     (solvscope COMMAND --help for details)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Formats: ${defaultRegistry.formats.map((f) => `${f.label} (.${f.extensions.join('/.')})`).join(', ')}
Units: lengths Å, times ps, charges e (whatever the file stores).

Global options:
  --help, -h     help;  --version  print the version
  --debug        show stack traces for errors

Exit codes: 0 ok; 1 error; 2 bad command line; 3 partial results (some frames or entries
failed, the rest was written); 130 interrupted.`;
}

function commandHelp(c: Command): string {
  const writers = defaultRegistry.formats.filter((f) => f.createWriter).map((f) => `${f.label} (.${f.extensions[0]})`).join(', ');
  return `Usage: ${c.usage}\n\n${c.summary}.\n\n${c.help.replace('${WRITERS}', writers)}`;
}

export interface MainIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Raw stderr (no newline added); defaults to stderr. */
  stderrRaw?: (s: string) => void;
  isTTY: boolean;
  signal: AbortSignal;
}

/** Run the CLI; returns the exit code (never throws). */
export async function main(argv: string[], sys: MainIO): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const io: IO = makeIO({ out: sys.stdout, err: sys.stderr, errRaw: sys.stderrRaw ?? sys.stderr, isTTY: sys.isTTY, signal: sys.signal });
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    const target = args[0] === 'help' && args[1] ? COMMANDS.find((c) => c.name === args[1]) : undefined;
    sys.stdout(target ? commandHelp(target) : mainHelp());
    return args.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  if (args[0] === '--version' || args[0] === '-V') {
    sys.stdout(VERSION);
    return EXIT.OK;
  }
  const cmd = COMMANDS.find((c) => c.name === args[0]);
  if (!cmd) {
    const names = COMMANDS.map((c) => c.name);
    const near = names.find((n) => n.startsWith(args[0].slice(0, 2)));
    sys.stderr(`solvscope: unknown command '${args[0]}'${near ? ` (did you mean '${near}'?)` : ''}; commands: ${names.join(', ')}`);
    return EXIT.USAGE;
  }
  const rest = args.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) {
    sys.stdout(commandHelp(cmd));
    return EXIT.OK;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof AbortError || sys.signal.aborted) {
      sys.stderr(`solvscope ${cmd.name}: interrupted`);
      return EXIT.INTERRUPTED;
    }
    if (e instanceof SolvscopeError) {
      sys.stderr(`solvscope ${cmd.name}: ${e.message}`);
      if (debug && e.stack) sys.stderr(e.stack);
      return e instanceof OptionError ? EXIT.USAGE : EXIT.ERROR;
    }
    sys.stderr(`solvscope ${cmd.name}: internal error: ${(e as Error)?.message ?? String(e)}`);
    if (debug && (e as Error)?.stack) sys.stderr((e as Error).stack!);
    else sys.stderr('(run again with --debug for the stack trace, and please report it)');
    return EXIT.ERROR;
  }
}
