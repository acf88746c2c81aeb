import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { OptionError, SourceError, type AnalyzeConfig } from '@solvscope/core';

/**
 * Read an analyze config (JSON or YAML, by extension; YAML is a superset of JSON so anything
 * else is tried as YAML):
 *
 *   species:
 *     C4H10O2: { name: DME, donors: heteroatoms, cutoff: auto }
 *     TFSI:    { donors: "name O1 O2 O3 O4", cutoff: 2.8, charge: -1 }
 *   anions: [TFSI]
 */
export async function readConfig(path: string): Promise<AnalyzeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SourceError('SOURCE', `cannot read config: ${(e as Error).message}`, { file: path });
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new OptionError('OPTION', `${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { option: '--config' });
  }
  return validateConfig(data, path);
}

const SPECIES_KEYS = new Set(['name', 'donors', 'cutoff', 'charge', 'partner']);

export function validateConfig(data: unknown, where: string): AnalyzeConfig {
  const fail = (msg: string): never => {
    throw new OptionError('OPTION', `${where}: ${msg}`, { option: '--config' });
  };
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) fail('must be an object with "species" and/or "anions"');
  const obj = data as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (k !== 'species' && k !== 'anions') fail(`unknown key '${k}' (allowed: species, anions)`);
  const out: AnalyzeConfig = {};
  if (obj.species !== undefined) {
    if (typeof obj.species !== 'object' || obj.species === null || Array.isArray(obj.species)) fail('"species" must map species names to settings');
    out.species = {};
    for (const [name, v] of Object.entries(obj.species as Record<string, unknown>)) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`species ${name}: settings must be an object`);
      const s = v as Record<string, unknown>;
      for (const k of Object.keys(s)) if (!SPECIES_KEYS.has(k)) fail(`species ${name}: unknown key '${k}' (allowed: ${[...SPECIES_KEYS].join(', ')})`);
      if (s.name !== undefined && typeof s.name !== 'string') fail(`species ${name}: name must be a string`);
      if (s.donors !== undefined && typeof s.donors !== 'string') fail(`species ${name}: donors must be "heteroatoms", "all" or a selection string`);
      if (s.cutoff !== undefined && s.cutoff !== 'auto' && !(typeof s.cutoff === 'number' && s.cutoff > 0)) fail(`species ${name}: cutoff must be "auto" or a positive number of Å (got ${JSON.stringify(s.cutoff)})`);
      if (s.charge !== undefined && !(typeof s.charge === 'number' && Number.isFinite(s.charge))) fail(`species ${name}: charge must be a number (e)`);
      if (s.partner !== undefined && typeof s.partner !== 'boolean') fail(`species ${name}: partner must be true or false`);
      out.species[name] = s as AnalyzeConfig['species'] extends Record<string, infer T> | undefined ? T : never;
    }
  }
  if (obj.anions !== undefined) {
    if (!Array.isArray(obj.anions) || !obj.anions.every((a) => typeof a === 'string')) fail('"anions" must be a list of species names');
    out.anions = obj.anions as string[];
  }
  return out;
}
