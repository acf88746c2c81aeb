import * as Comlink from 'comlink';
import { SolvscopeError, errorFromJSON, isSerializedError, serializeError, type SerializedError } from '@solvscope/core';

/**
 * comlink's own handler for thrown values keeps only `message`, `name` and `stack`, so a
 * FormatError from a worker would arrive as a bare Error without its code or file/frame/byte
 * context. These handlers send every thrown error as {@link SerializedError} and rebuild the
 * right subclass with {@link errorFromJSON} on the other side; `SolvscopeError` values that are
 * returned (not thrown) cross the same way. Both threads must register them.
 */
let registered = false;

interface ThrownWire {
  isError: boolean;
  value: unknown;
}

/** Register the error transfer handlers with comlink in this thread (idempotent). */
export function registerErrorTransfer(): void {
  if (registered) return;
  registered = true;
  const original = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<{ value: unknown }, ThrownWire>;
  const throwHandler: Comlink.TransferHandler<{ value: unknown }, ThrownWire> = {
    canHandle: (v): v is { value: unknown } => original.canHandle(v),
    serialize({ value }) {
      if (value instanceof Error || value instanceof SolvscopeError) return [{ isError: false, value: serializeError(value) }, []];
      return original.serialize({ value });
    },
    deserialize(wire) {
      if (!wire.isError && isSerializedError(wire.value)) throw errorFromJSON(wire.value);
      return original.deserialize(wire);
    },
  };
  Comlink.transferHandlers.set('throw', throwHandler as Comlink.TransferHandler<unknown, unknown>);
  const valueHandler: Comlink.TransferHandler<SolvscopeError, SerializedError> = {
    canHandle: (v): v is SolvscopeError => v instanceof SolvscopeError,
    serialize: (e) => [e.toJSON(), []],
    deserialize: (s) => errorFromJSON(s),
  };
  Comlink.transferHandlers.set('solvscope-error', valueHandler as Comlink.TransferHandler<unknown, unknown>);
}
