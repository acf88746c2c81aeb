/**
 * `a` itself when it holds `need` entries, else a copy at least twice as long (contents kept),
 * for the scratch buffers that grow in hot loops.
 */
export function grown(a: Int32Array, need: number): Int32Array;
export function grown(a: Float64Array, need: number): Float64Array;
export function grown(a: Int32Array | Float64Array, need: number): Int32Array | Float64Array {
  if (need <= a.length) return a;
  const n = Math.max(need, 2 * a.length);
  const g = a instanceof Int32Array ? new Int32Array(n) : new Float64Array(n);
  g.set(a);
  return g;
}
