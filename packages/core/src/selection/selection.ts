/**
 * The selection language, close to MDAnalysis and VMD:
 *
 *   name OW HW*          type opls_411       element O N        resname SOL TFSI
 *   resid 1-10 12        resnum 5            index 0:99 200     bynum 1-10 (1-based)
 *   mass > 20            charge < -0.5       mass 12 to 14      charge -1
 *   species DME          molecule 3 5-7      all / none
 *   within 3.5 of (name MG)                 around 3.5 (name MG)   (within, excluding the reference atoms)
 *   same residue as (…)   same molecule as (…)
 *   not …, … and …, … or …, ( … )
 *
 * Words accept shell wildcards: `*` (any run), `?` (one character), `[abc]`. Names are
 * case-sensitive, as in MDAnalysis; element symbols are matched case-insensitively.
 * Ranges: `a-b`, `a:b` and `a to b` are inclusive. Precedence: not > and > or.
 * `within` needs coordinates: selections with it are evaluated per frame.
 */
import { SelectionError } from '../errors.js';
import type { Frame } from '../frame.js';
import type { Topology } from '../topology.js';
import { minimumImageDistance2Brute } from './within.js';
import { editDistance } from '../edit-distance.js';

type Cmp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type SelectionNode =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'not'; arg: SelectionNode }
  | { kind: 'and' | 'or'; left: SelectionNode; right: SelectionNode }
  | { kind: 'strings'; field: 'name' | 'type' | 'element' | 'resname' | 'species'; patterns: string[] }
  | { kind: 'ints'; field: 'resid' | 'index' | 'bynum' | 'molecule'; ranges: [number, number][] }
  | { kind: 'compare'; field: 'mass' | 'charge'; op: Cmp; value: number }
  | { kind: 'numrange'; field: 'mass' | 'charge'; ranges: [number, number][] }
  | { kind: 'within'; radius: number; arg: SelectionNode; exclude: boolean }
  | { kind: 'same'; what: 'residue' | 'molecule'; arg: SelectionNode };

interface Token {
  text: string;
  pos: number;
}

const STRING_KEYS = new Set(['name', 'type', 'element', 'resname', 'species']);
const INT_KEYS = new Set(['resid', 'resnum', 'index', 'bynum', 'molecule']);
const NUM_KEYS = new Set(['mass', 'charge']);
const KEYWORDS = new Set(['and', 'or', 'not', 'within', 'around', 'of', 'same', 'as', 'all', 'none', 'to', ...STRING_KEYS, ...INT_KEYS, ...NUM_KEYS]);

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ text: c, pos: i });
      i++;
      continue;
    }
    if (c === '<' || c === '>' || c === '=' || c === '!') {
      const two = expr.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '==' || two === '!=') {
        out.push({ text: two, pos: i });
        i += 2;
      } else if (c === '!') {
        throw selErr(expr, i, `unexpected '!' (did you mean 'not' or '!=')`);
      } else {
        out.push({ text: c === '=' ? '==' : c, pos: i });
        i++;
      }
      continue;
    }
    const s = i;
    while (i < expr.length && !' \t\n()<>=!'.includes(expr[i])) {
      if (expr[i] === '[') {
        const close = expr.indexOf(']', i);
        if (close < 0) throw selErr(expr, i, `unclosed '[' in pattern`);
        i = close + 1;
      } else i++;
    }
    out.push({ text: expr.slice(s, i), pos: s });
  }
  return out;
}

function selErr(expr: string, pos: number, detail: string): SelectionError {
  const caret = `${expr}\n${' '.repeat(Math.max(0, pos))}^`;
  return new SelectionError('SELECTION', `${detail} at position ${pos} in selection:\n${caret}`, { position: pos });
}

class Parser {
  private k = 0;
  constructor(
    private readonly expr: string,
    private readonly toks: Token[],
  ) {}

  private peek(): Token | undefined {
    return this.toks[this.k];
  }
  private next(): Token | undefined {
    return this.toks[this.k++];
  }
  private endPos(): number {
    return this.expr.length;
  }
  private fail(tok: Token | undefined, detail: string): never {
    throw selErr(this.expr, tok ? tok.pos : this.endPos(), detail);
  }

  parse(): SelectionNode {
    if (this.toks.length === 0) throw selErr(this.expr, 0, 'empty selection');
    const node = this.parseOr();
    const t = this.peek();
    if (t) this.fail(t, t.text === ')' ? `unmatched ')'` : `unexpected '${t.text}' (expected 'and', 'or' or the end)`);
    return node;
  }

  private parseOr(): SelectionNode {
    let left = this.parseAnd();
    while (this.peek()?.text === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): SelectionNode {
    let left = this.parseNot();
    while (this.peek()?.text === 'and') {
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): SelectionNode {
    if (this.peek()?.text === 'not') {
      this.next();
      return { kind: 'not', arg: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parseGroup(context: string): SelectionNode {
    const t = this.peek();
    if (t?.text === '(') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close?.text !== ')') this.fail(close, `expected ')' to close the '(' at position ${t.pos}`);
      return inner;
    }
    if (!t) this.fail(t, `expected a selection after '${context}'`);
    return this.parseNot();
  }

  private values(tokKey: Token): Token[] {
    const vals: Token[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.text === '(' || t.text === ')' || KEYWORDS.has(t.text) && t.text !== 'to') break;
      if (t.text === 'to' && vals.length === 0) break;
      vals.push(t);
      this.next();
    }
    if (vals.length === 0) this.fail(this.peek(), `'${tokKey.text}' needs at least one value`);
    return vals;
  }

  private parsePrimary(): SelectionNode {
    const t = this.next();
    if (!t) this.fail(t, 'selection ends too early');
    const w = t.text;
    if (w === '(') {
      const inner = this.parseOr();
      const close = this.next();
      if (close?.text !== ')') this.fail(close, `expected ')' to close the '(' at position ${t.pos}`);
      return inner;
    }
    if (w === 'all') return { kind: 'all' };
    if (w === 'none') return { kind: 'none' };
    if (STRING_KEYS.has(w)) {
      const vals = this.values(t);
      return { kind: 'strings', field: w as 'name', patterns: vals.map((v) => v.text) };
    }
    if (INT_KEYS.has(w)) {
      const vals = this.values(t);
      const field = (w === 'resnum' ? 'resid' : w) as 'resid';
      return { kind: 'ints', field, ranges: this.intRanges(vals, w) };
    }
    if (NUM_KEYS.has(w)) {
      const op = this.peek();
      if (op && ['<', '<=', '>', '>=', '==', '!='].includes(op.text)) {
        this.next();
        const v = this.next();
        const x = v ? Number(v.text) : NaN;
        if (!v || !Number.isFinite(x)) this.fail(v, `'${w} ${op.text}' needs a number`);
        return { kind: 'compare', field: w as 'mass', op: op.text as Cmp, value: x };
      }
      const vals = this.values(t);
      return { kind: 'numrange', field: w as 'mass', ranges: this.numRanges(vals, w) };
    }
    if (w === 'within' || w === 'around') {
      const r = this.next();
      const radius = r ? Number(r.text) : NaN;
      if (!r || !Number.isFinite(radius) || radius < 0) this.fail(r, `'${w}' needs a non-negative distance in Å`);
      if (w === 'within') {
        const of = this.next();
        if (of?.text !== 'of') this.fail(of, `expected 'of' after 'within ${r.text}'`);
      } else if (this.peek()?.text === 'of') this.next();
      return { kind: 'within', radius, arg: this.parseGroup(w), exclude: w === 'around' };
    }
    if (w === 'same') {
      const what = this.next();
      if (what?.text !== 'residue' && what?.text !== 'molecule') this.fail(what, `expected 'residue' or 'molecule' after 'same'`);
      const as = this.next();
      if (as?.text !== 'as') this.fail(as, `expected 'as' after 'same ${what.text}'`);
      return { kind: 'same', what: what.text as 'residue', arg: this.parseGroup('as') };
    }
    if (w === ')') this.fail(t, `unmatched ')'`);
    const known = ['name', 'type', 'element', 'resname', 'resid', 'index', 'bynum', 'mass', 'charge', 'species', 'molecule', 'within', 'around', 'same', 'all', 'none', 'not'];
    const guess = known.find((k) => editDistance(k, w.toLowerCase()) <= 2);
    this.fail(t, `unknown keyword '${w}'${guess ? ` (did you mean '${guess}'?)` : ` (expected one of: ${known.join(', ')})`}`);
  }

  private intRanges(vals: Token[], key: string): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (vals[i + 1]?.text === 'to') {
        const hi = vals[i + 2];
        const a = parseIntStrict(v.text);
        const b = hi ? parseIntStrict(hi.text) : NaN;
        if (Number.isNaN(a)) this.fail(v, `'${key}' needs integers (got '${v.text}')`);
        if (Number.isNaN(b)) this.fail(hi, `'${key} ${v.text} to' needs an integer upper bound`);
        out.push([a, b]);
        i += 2;
        continue;
      }
      const m = /^(-?\d+)(?:[-:](-?\d+))?$/.exec(v.text);
      if (!m) this.fail(v, `'${key}' needs integers or ranges like 1-10 (got '${v.text}')`);
      const a = Number(m[1]);
      const b = m[2] !== undefined ? Number(m[2]) : a;
      if (b < a) this.fail(v, `empty range '${v.text}'`);
      out.push([a, b]);
    }
    return out;
  }

  private numRanges(vals: Token[], key: string): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (vals[i + 1]?.text === 'to') {
        const hi = vals[i + 2];
        const a = Number(v.text);
        const b = hi ? Number(hi.text) : NaN;
        if (!Number.isFinite(a) || !Number.isFinite(b)) this.fail(hi ?? v, `'${key} a to b' needs two numbers`);
        out.push([a, b]);
        i += 2;
        continue;
      }
      const m = /^(-?[\d.]+(?:e-?\d+)?)(?::(-?[\d.]+(?:e-?\d+)?))?$/i.exec(v.text);
      if (!m || !Number.isFinite(Number(m[1]))) this.fail(v, `'${key}' needs a number, a range a:b or a comparison like '${key} > 10' (got '${v.text}')`);
      const a = Number(m[1]);
      const b = m[2] !== undefined ? Number(m[2]) : a;
      out.push([a, b]);
    }
    return out;
  }
}

function parseIntStrict(s: string): number {
  return /^-?\d+$/.test(s) ? Number(s) : NaN;
}


/** Parse a selection string. @throws SelectionError with `context.position` at the problem. */
export function parseSelection(expr: string): SelectionNode {
  return new Parser(expr, tokenize(expr)).parse();
}

/** True if the selection needs coordinates (contains within/around). */
export function isDynamic(node: SelectionNode): boolean {
  switch (node.kind) {
    case 'within':
      return true;
    case 'not':
    case 'same':
      return isDynamic(node.arg);
    case 'and':
    case 'or':
      return isDynamic(node.left) || isDynamic(node.right);
    default:
      return false;
  }
}

function globToRegExp(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = p.indexOf(']', i);
      re += '[' + p.slice(i + 1, close).replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function matcher(patterns: string[], fold: boolean): (s: string) => boolean {
  const exact = new Set<string>();
  const res: RegExp[] = [];
  for (const p0 of patterns) {
    const p = fold ? p0.toLowerCase() : p0;
    if (/[*?[]/.test(p)) res.push(globToRegExp(p));
    else exact.add(p);
  }
  return (s0: string) => {
    const s = fold ? s0.toLowerCase() : s0;
    if (exact.has(s)) return true;
    for (const r of res) if (r.test(s)) return true;
    return false;
  };
}

/**
 * Evaluate a parsed selection to a mask (1 = selected). `frame` is required for `within`.
 * @throws SelectionError when `within` is used without coordinates.
 */
export function evaluateSelection(node: SelectionNode, topo: Topology, frame?: Frame): Uint8Array {
  const n = topo.atomCount;
  const mask = new Uint8Array(n);
  switch (node.kind) {
    case 'all':
      mask.fill(1);
      return mask;
    case 'none':
      return mask;
    case 'not': {
      const m = evaluateSelection(node.arg, topo, frame);
      for (let i = 0; i < n; i++) mask[i] = m[i] ^ 1;
      return mask;
    }
    case 'and':
    case 'or': {
      const a = evaluateSelection(node.left, topo, frame);
      const b = evaluateSelection(node.right, topo, frame);
      if (node.kind === 'and') for (let i = 0; i < n; i++) mask[i] = a[i] & b[i];
      else for (let i = 0; i < n; i++) mask[i] = a[i] | b[i];
      return mask;
    }
    case 'strings': {
      if (node.field === 'species') {
        const match = matcher(node.patterns, false);
        const matchFold = matcher(node.patterns, true);
        const ok = topo.species.map((s) => match(s.name) || match(s.formula) || (s.resname !== '' && match(s.resname)) || matchFold(s.name));
        for (let i = 0; i < n; i++) mask[i] = ok[topo.moleculeSpecies[topo.molecules[i]]] ? 1 : 0;
        return mask;
      }
      const fold = node.field === 'element';
      const match = matcher(node.patterns, fold);
      const arr = node.field === 'name' ? topo.names : node.field === 'type' ? topo.types : node.field === 'element' ? topo.elements : topo.resnames;
      const cache = new Map<string, boolean>();
      for (let i = 0; i < n; i++) {
        const s = arr[i];
        let v = cache.get(s);
        if (v === undefined) {
          v = match(s);
          cache.set(s, v);
        }
        mask[i] = v ? 1 : 0;
      }
      return mask;
    }
    case 'ints': {
      const get =
        node.field === 'resid' ? (i: number) => topo.resids[i] : node.field === 'index' ? (i: number) => i : node.field === 'bynum' ? (i: number) => i + 1 : (i: number) => topo.molecules[i];
      for (let i = 0; i < n; i++) {
        const v = get(i);
        for (const [a, b] of node.ranges)
          if (v >= a && v <= b) {
            mask[i] = 1;
            break;
          }
      }
      return mask;
    }
    case 'compare':
    case 'numrange': {
      const arr = node.field === 'mass' ? topo.masses : topo.charges;
      if (!arr) throw new SelectionError('SELECTION', `the topology has no ${node.field === 'mass' ? 'masses' : 'charges'} to select on`, {});
      for (let i = 0; i < n; i++) {
        const v = arr[i];
        let ok = false;
        if (node.kind === 'compare') {
          const x = node.value;
          switch (node.op) {
            case '<': ok = v < x; break;
            case '<=': ok = v <= x; break;
            case '>': ok = v > x; break;
            case '>=': ok = v >= x; break;
            case '==': ok = Math.abs(v - x) <= 1e-6 * Math.max(1, Math.abs(x)); break;
            case '!=': ok = Math.abs(v - x) > 1e-6 * Math.max(1, Math.abs(x)); break;
          }
        } else {
          for (const [a, b] of node.ranges) if (v >= a - 1e-6 * Math.max(1, Math.abs(a)) && v <= b + 1e-6 * Math.max(1, Math.abs(b))) ok = true;
        }
        mask[i] = ok ? 1 : 0;
      }
      return mask;
    }
    case 'same': {
      const m = evaluateSelection(node.arg, topo, frame);
      const key = node.what === 'residue' ? topo.residueIndex : topo.molecules;
      const hit = new Set<number>();
      for (let i = 0; i < n; i++) if (m[i]) hit.add(key[i]);
      for (let i = 0; i < n; i++) mask[i] = hit.has(key[i]) ? 1 : 0;
      return mask;
    }
    case 'within': {
      if (!frame) throw new SelectionError('SELECTION', `'within'/'around' needs coordinates: evaluate this selection per frame`, {});
      const ref = evaluateSelection(node.arg, topo, frame);
      const refIdx: number[] = [];
      for (let i = 0; i < n; i++) if (ref[i]) refIdx.push(i);
      const r2 = node.radius * node.radius;
      const p = frame.positions;
      for (let i = 0; i < n; i++) {
        if (ref[i]) {
          mask[i] = node.exclude ? 0 : 1;
          continue;
        }
        for (const j of refIdx) {
          if (minimumImageDistance2Brute(p, i, j, frame.box) <= r2) {
            mask[i] = 1;
            break;
          }
        }
      }
      return mask;
    }
  }
}

/** Sorted atom indices of a mask. */
export function maskToIndices(mask: Uint8Array): Int32Array {
  let c = 0;
  for (let i = 0; i < mask.length; i++) c += mask[i];
  const out = new Int32Array(c);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

/**
 * Select atoms: parse and evaluate. Returns sorted 0-based atom indices (possibly empty).
 * @throws SelectionError on a malformed selection (with the position) or `within` without a frame.
 */
export function selectAtoms(topo: Topology, expr: string, frame?: Frame): Int32Array {
  return maskToIndices(evaluateSelection(parseSelection(expr), topo, frame));
}

/**
 * Like {@link selectAtoms} but an empty result is an error naming the option, e.g.
 * `--ion 'name MGX' selects no atoms`.
 */
export function selectNonEmpty(topo: Topology, expr: string, option: string, frame?: Frame): Int32Array {
  let idx: Int32Array;
  try {
    idx = selectAtoms(topo, expr, frame);
  } catch (e) {
    if (e instanceof SelectionError) throw new SelectionError('SELECTION', `${option}: ${e.detail}`, { ...e.context, option });
    throw e;
  }
  if (idx.length === 0) {
    throw new SelectionError('SELECTION', `${option} '${expr}' selects no atoms`, { option });
  }
  return idx;
}
