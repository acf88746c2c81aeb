import { FormatError, OptionError, editDistance, type ByteSource } from '@solvscope/core';
import type { FormatDescriptor } from './format.js';

/**
 * Format lookup by name, extension and magic number. The list itself is explicit
 * (formats.ts), never filled by import side effects.
 */
export class FormatRegistry {
  constructor(readonly formats: readonly FormatDescriptor[]) {}

  /** By registry name or alias-free label, case-insensitive. @throws OptionError with suggestions. */
  get(name: string): FormatDescriptor {
    const key = name.toLowerCase();
    const f = this.formats.find((d) => d.name === key || d.label.toLowerCase() === key || d.extensions.includes(key));
    if (f) return f;
    const names = this.formats.map((d) => d.name);
    const close = names.filter((n) => editDistance(n, key) <= 2 || n.startsWith(key) || key.startsWith(n));
    throw new OptionError('OPTION', `unknown format '${name}'${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : ''}; known formats: ${names.join(', ')}`, {
      option: 'format',
    });
  }

  /** Formats whose extension matches the file name (compound extensions like .lammpstrj included). */
  byFileName(fileName: string): FormatDescriptor[] {
    const lower = fileName.toLowerCase().replace(/\.(gz|bz2)$/, '');
    const dot = lower.lastIndexOf('.');
    const ext = dot >= 0 ? lower.slice(dot + 1) : '';
    return this.formats.filter((d) => d.extensions.includes(ext));
  }

  /**
   * Decide the format of a source: an explicit name wins; otherwise the extension, confirmed
   * by the magic number when the format has one; otherwise sniffing all formats.
   * @throws FormatError naming the file when nothing fits.
   */
  async detect(source: ByteSource, explicit?: string): Promise<FormatDescriptor> {
    if (explicit) return this.get(explicit);
    const head = await source.read(0, Math.min(4096, source.size));
    const byExt = this.byFileName(source.name);
    for (const d of byExt) if (!d.sniff || d.sniff(head)) return d;
    if (byExt.length && byExt.every((d) => d.sniff)) {
      const other = this.formats.find((d) => d.sniff?.(head));
      const msg = other
        ? `the extension says ${byExt.map((d) => d.label).join('/')} but the content looks like ${other.label}; pass --format ${other.name} if that is right`
        : `the extension says ${byExt.map((d) => d.label).join('/')} but the file does not start like one (bad magic number)`;
      throw new FormatError('FORMAT', msg, { file: source.name, byteOffset: 0 });
    }
    for (const d of this.formats) if (d.sniff?.(head)) return d;
    if (byExt.length) return byExt[0];
    throw new FormatError(
      'UNSUPPORTED',
      `cannot tell the format from the name or content; supported: ${this.formats.map((d) => `${d.label} (.${d.extensions.join(', .')})`).join('; ')}; use --format NAME`,
      { file: source.name },
    );
  }
}

