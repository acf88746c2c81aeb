import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Expand a path pattern with `*` (any run within one path segment), `?` (one character) and
 * `**` (any number of directories). Returns matches sorted, each with the texts the wildcards
 * matched (captures $1, $2 … in manifest labels). No dependency: Node 20 has no fs.glob.
 */
export async function expandGlob(pattern: string, cwd = '.'): Promise<{ path: string; captures: string[] }[]> {
  if (!/[*?]/.test(pattern)) return [{ path: pattern, captures: [] }];
  const abs = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  const out: { path: string; captures: string[] }[] = [];
  async function walk(dir: string, shown: string, k: number, caps: string[]): Promise<void> {
    if (k === parts.length) {
      out.push({ path: shown, captures: caps });
      return;
    }
    const seg = parts[k];
    if (seg === '' && k === 0) return walk('/', '/', 1, caps);
    if (!/[*?]/.test(seg)) return walk(join(dir, seg), shown ? (shown.endsWith('/') ? shown + seg : `${shown}/${seg}`) : seg, k + 1, caps);
    let entries: { name: string; isDirectory(): boolean }[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (seg === '**') {
      await walk(dir, shown, k + 1, caps);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), shown ? (shown.endsWith('/') ? shown + e.name : `${shown}/${e.name}`) : e.name, k, caps);
      return;
    }
    const re = new RegExp('^' + seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '(.*)').replace(/\?/g, '(.)') + '$');
    for (const e of entries) {
      const m = re.exec(e.name);
      if (!m || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      const next = shown ? (shown.endsWith('/') ? shown + e.name : `${shown}/${e.name}`) : e.name;
      await walk(join(dir, e.name), next, k + 1, [...caps, ...m.slice(1)]);
    }
  }
  await walk(abs ? '/' : cwd, abs ? '/' : '', abs ? 1 : 0, []);
  if (!abs && cwd !== '.') return out;
  return out;
}
