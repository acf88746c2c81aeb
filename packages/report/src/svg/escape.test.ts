import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape.js';

describe('escapeXml', () => {
  it('replaces the five XML special characters with entities', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });

  it('keeps tabs, newlines and non-ASCII text', () => {
    expect(escapeXml('Å\tα\nβ ± 2.41 Å')).toBe('Å\tα\nβ ± 2.41 Å');
    expect(escapeXml('😀')).toBe('😀');
  });

  it('drops characters that XML 1.0 forbids', () => {
    expect(escapeXml('a\u0000b\u0007c\u001f')).toBe('abc');
    expect(escapeXml('x\ud800y')).toBe('xy');
    expect(escapeXml('x\udc00y\uffff')).toBe('xy');
  });

  it('prints null and undefined as nothing', () => {
    expect(escapeXml(null)).toBe('');
    expect(escapeXml(undefined)).toBe('');
    expect(escapeXml(2.5)).toBe('2.5');
  });
});
