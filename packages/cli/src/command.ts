import { OptionError, parseRenameList, type SolvscopeError } from '@solvscope/core';

/** What a command may do to the outside world (so tests can capture it). */
export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** Raw stderr write without newline (progress bars). */
  errRaw(text: string): void;
  warn: (w: SolvscopeError) => void;
  /** stderr is a TTY (progress bars only then). */
  isTTY: boolean;
  signal: AbortSignal;
  requirePositional(pos: string[], i: number, name: string, command: string): string;
  noMorePositionals(pos: string[], n: number, command: string): void;
  rename(text: string | undefined): Record<string, string> | undefined;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  help: string;
  /** Returns the exit code. */
  run(argv: string[], io: IO): Promise<number>;
}

export function makeIO(base: Pick<IO, 'out' | 'err' | 'errRaw' | 'isTTY' | 'signal'>): IO {
  return {
    ...base,
    warn: (w) => base.err(`warning: ${w.message}`),
    requirePositional(pos, i, name, command) {
      const v = pos[i];
      if (v === undefined) throw new OptionError('OPTION', `missing ${name}; see 'solvscope ${command} --help'`, { option: name });
      return v;
    },
    noMorePositionals(pos, n, command) {
      if (pos.length > n) throw new OptionError('OPTION', `unexpected argument '${pos[n]}'; see 'solvscope ${command} --help'`, { option: pos[n] });
    },
    rename: (text) => (text === undefined ? undefined : parseRenameList(text)),
  };
}
