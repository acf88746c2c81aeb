/**
 * Errors that say where. Every error solvscope raises on purpose is a {@link SolvscopeError}
 * with a stable `code` and a `context` naming the file, format, frame, byte offset or line.
 * Messages are built from the context by one helper so they always read the same way:
 *
 *     run3.xtc: XTC frame 1207 (byte 48113664): coordinate block needs 3612 bytes, file ends after 1210
 *
 * Errors survive crossing threads: `toJSON()` gives a plain object and {@link errorFromJSON}
 * rebuilds the right subclass.
 */

/** Where an error happened. All fields optional; frame and line are 0-based and 1-based respectively. */
export interface ErrorContext {
  /** File (or byte source) name. */
  file?: string;
  /** Format name, e.g. 'XTC'. */
  format?: string;
  /** 0-based frame number. */
  frame?: number;
  /** Byte offset into the file. */
  byteOffset?: number;
  /** 1-based line number for text formats. */
  line?: number;
  /** The offending line, quoted in the message. */
  lineText?: string;
  /** Option name for option errors, e.g. '--r-max'. */
  option?: string;
  /** Position (0-based character index) in a selection string. */
  position?: number;
  /** Frame range covered by partial results: [first, end). */
  completedFrames?: [number, number];
}

/** Stable error codes. Callers switch on these, never on messages. */
export type ErrorCode =
  | 'FORMAT'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'SOURCE'
  | 'SELECTION'
  | 'OPTION'
  | 'ABORTED'
  | 'MISMATCH'
  | 'UNSUPPORTED'
  | 'INTERNAL';

export interface SerializedError {
  __solvscopeError: true;
  kind: string;
  code: ErrorCode;
  message: string;
  detail: string;
  context: ErrorContext;
  stack?: string;
}

/** Format a context prefix: `file: FORMAT frame N (byte B, line L)`. */
export function formatContext(ctx: ErrorContext): string {
  const head: string[] = [];
  if (ctx.file) head.push(ctx.file);
  const where: string[] = [];
  if (ctx.format) where.push(ctx.format);
  if (ctx.frame !== undefined) where.push(`frame ${ctx.frame}`);
  const loc: string[] = [];
  if (ctx.byteOffset !== undefined) loc.push(`byte ${ctx.byteOffset}`);
  if (ctx.line !== undefined) loc.push(`line ${ctx.line}`);
  let s = head.join('');
  let w = where.join(' ');
  if (loc.length) w = w ? `${w} (${loc.join(', ')})` : loc.join(', ');
  if (w) s = s ? `${s}: ${w}` : w;
  return s;
}

export function buildMessage(detail: string, ctx: ErrorContext): string {
  const prefix = formatContext(ctx);
  let msg = prefix ? `${prefix}: ${detail}` : detail;
  if (ctx.lineText !== undefined) {
    const t = ctx.lineText.length > 120 ? ctx.lineText.slice(0, 117) + '...' : ctx.lineText;
    msg += `; the line is '${t}'`;
  }
  return msg;
}

/** Base class of all solvscope errors. */
export class SolvscopeError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;
  /** The message without the context prefix. */
  readonly detail: string;
  constructor(code: ErrorCode, detail: string, context: ErrorContext = {}) {
    super(buildMessage(detail, context));
    this.name = new.target.name;
    this.code = code;
    this.detail = detail;
    this.context = { ...context };
  }
  /** A copy with more context (existing fields win unless overridden). */
  withContext(extra: ErrorContext): this {
    const Ctor = this.constructor as new (code: ErrorCode, detail: string, ctx: ErrorContext) => this;
    const e = new Ctor(this.code, this.detail, { ...extra, ...this.context });
    e.stack = this.stack;
    return e;
  }
  toJSON(): SerializedError {
    return {
      __solvscopeError: true,
      kind: this.name,
      code: this.code,
      message: this.message,
      detail: this.detail,
      context: this.context,
      stack: this.stack,
    };
  }
}

/** The file's bytes do not match its format (bad magic, corrupt sizes, truncation, bad numbers). */
export class FormatError extends SolvscopeError {}
/** I/O problem: missing file, permission, short read from the OS. */
export class SourceError extends SolvscopeError {}
/** A malformed or empty selection; `context.position` points at the problem. */
export class SelectionError extends SolvscopeError {}
/** An invalid option value; `context.option` names it. */
export class OptionError extends SolvscopeError {}
/** The run was cancelled through an AbortSignal. */
export class AbortError extends SolvscopeError {
  constructor(code: ErrorCode = 'ABORTED', detail = 'the operation was aborted', context: ErrorContext = {}) {
    super(code, detail, context);
  }
}

const KINDS: Record<string, new (code: ErrorCode, detail: string, ctx: ErrorContext) => SolvscopeError> = {
  SolvscopeError,
  FormatError,
  SourceError,
  SelectionError,
  OptionError,
  AbortError,
};

export function isSerializedError(x: unknown): x is SerializedError {
  return typeof x === 'object' && x !== null && (x as SerializedError).__solvscopeError === true;
}

/** Rebuild an error of the right subclass from {@link SolvscopeError.toJSON} output. */
export function errorFromJSON(x: SerializedError): SolvscopeError {
  const Ctor = KINDS[x.kind] ?? SolvscopeError;
  const e = new Ctor(x.code, x.detail, x.context);
  if (x.stack) e.stack = x.stack;
  return e;
}

/** Convert anything thrown into a plain serialisable form, keeping solvscope context. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof SolvscopeError) return err.toJSON();
  if (isSerializedError(err)) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return { __solvscopeError: true, kind: 'SolvscopeError', code: 'INTERNAL', message: e.message, detail: e.message, context: {}, stack: e.stack };
}

export function throwIfAborted(signal: AbortSignal | undefined, ctx: ErrorContext = {}): void {
  if (signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', ctx);
}
