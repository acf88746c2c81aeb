// The few web-platform globals that Node 20 and browsers both provide. core and formats compile
// with lib ES2022 and no @types/node or DOM, so that `process`, `Buffer` or `document` fail to
// compile there; these declarations let them use what is genuinely environment-agnostic.
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare function queueMicrotask(cb: () => void): void;
