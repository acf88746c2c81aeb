import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<T extends NonNullable<Options>> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
import { OptionError } from '@solvscope/core';

/** Exit codes (documented in the CLI help and README). */
export const EXIT = {
  OK: 0,
  /** Any error: bad input file, analysis failure. */
  ERROR: 1,
  /** Bad command line: unknown option, invalid value. */
  USAGE: 2,
  /** Partial results: some frames/chunks/entries failed, the rest was written. */
  PARTIAL: 3,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export type Options = ParseArgsConfig['options'];

/** parseArgs with errors that name the option, as OptionError. */
export function parse<const T extends NonNullable<Options>>(argv: string[], options: T, command: string): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true as const, strict: true as const });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const m = /'(--?[\w-]+)'/.exec(msg);
    throw new OptionError('OPTION', `${msg}; see 'solvscope ${command} --help'`, { option: m?.[1] });
  }
}

/**
 * The trajectory files of a command: `--traj` (repeatable) or the positional arguments, never
 * both. Several files are one run written in parts, read in the order given.
 */
export function trajectoryArgs(traj: string[] | undefined, positionals: string[], command: string): string | string[] {
  const files = traj && traj.length ? traj : positionals;
  if (traj && traj.length && positionals.length) {
    throw new OptionError('OPTION', `unexpected argument '${positionals[0]}': give the trajectory files either with --traj or as arguments; see 'solvscope ${command} --help'`, { option: positionals[0] });
  }
  if (!files.length) throw new OptionError('OPTION', `missing --traj TRAJ; see 'solvscope ${command} --help'`, { option: '--traj' });
  return files.length === 1 ? files[0] : files;
}

/** A positive finite number option, e.g. --r-max. */
export function numberOption(value: string | undefined, name: string, opts: { min?: number; exclusiveMin?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  const what = opts.integer ? 'an integer' : 'a number';
  if (value.trim() === '' || !Number.isFinite(x) || (opts.integer && !Number.isInteger(x))) {
    throw new OptionError('OPTION', `${name} must be ${what} (got "${value}")`, { option: name });
  }
  if (opts.exclusiveMin !== undefined && !(x > opts.exclusiveMin)) throw new OptionError('OPTION', `${name} must be greater than ${opts.exclusiveMin} (got "${value}")`, { option: name });
  if (opts.min !== undefined && x < opts.min) throw new OptionError('OPTION', `${name} must be at least ${opts.min} (got "${value}")`, { option: name });
  return x;
}

/** One of a fixed set of values, listing them on error. */
export function enumOption<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new OptionError('OPTION', `${name} must be one of ${allowed.join(', ')} (got "${value}")`, { option: name });
  return value as T;
}

/** Parse --frames a:b:step (Python slice, any part optional; negative counts from the end). */
export function frameSlice(value: string | undefined): { start?: number; stop?: number; step?: number } {
  if (value === undefined) return {};
  const m = /^(-?\d*)(?::(-?\d*))?(?::(\d*))?$/.exec(value.trim());
  if (!m) throw new OptionError('OPTION', `--frames must look like START:STOP:STEP, e.g. 0:100:2 or ::10 (got "${value}")`, { option: '--frames' });
  const out: { start?: number; stop?: number; step?: number } = {};
  if (m[1]) out.start = Number(m[1]);
  if (m[2] !== undefined && m[2] !== '') out.stop = Number(m[2]);
  else if (m[2] === undefined && m[1]) out.stop = Number(m[1]) + 1;
  if (m[3]) {
    out.step = Number(m[3]);
    if (out.step < 1) throw new OptionError('OPTION', `--frames step must be a positive integer (got "${value}")`, { option: '--frames' });
  }
  return out;
}
