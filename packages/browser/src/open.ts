import {
  FormatError,
  SourceError,
  anonymousTopology,
  buildTopology,
  type BuildTopologyOptions,
  type ByteSource,
  type FrameIndex,
  type FrameSource,
  type SolvscopeError,
  type Topology,
} from '@solvscope/core';
import { defaultRegistry } from '@solvscope/formats';
import { BlobByteSource } from './blob-source.js';
import { HttpRangeByteSource } from './http-source.js';

/**
 * A file the browser can read: a `Blob`/`File` (picked or dropped), or a URL served with range
 * requests (`solvscope serve`). Plain data: it crosses to workers by structured clone, and a
 * Blob clone shares the file's bytes instead of copying them.
 */
export interface FileRef {
  /** Shown in messages and used for format detection by extension. */
  name: string;
  blob?: Blob;
  url?: string;
  /** Request headers for `url` (e.g. the serve token). */
  headers?: Record<string, string>;
}

/** What to open: a trajectory and optionally a separate topology. Plain data. */
export interface SystemRequest extends BuildTopologyOptions {
  trajectory: FileRef;
  /** Default: the trajectory itself when its format carries names and residues (GRO, PDB …). */
  topology?: FileRef;
  /** Format names ('xtc', 'gro' …); default: from extension and magic number. */
  format?: string;
  topFormat?: string;
  /** A frame index from an earlier open; skips the scan (workers of one run reuse the main scan). */
  index?: FrameIndex;
}

export interface OpenedBrowserSystem {
  topology: Topology;
  trajectory: FrameSource;
  /** Where the topology came from, or 'none'. */
  topologySource: string;
}

/** Open a FileRef as a ByteSource. @throws SourceError when it has neither blob nor url, or the URL fails. */
export async function openFileRef(ref: FileRef, signal?: AbortSignal): Promise<ByteSource> {
  if (ref.blob) return new BlobByteSource(ref.blob, ref.name);
  if (ref.url) return HttpRangeByteSource.open(ref.url, { name: ref.name, headers: ref.headers, signal });
  throw new SourceError('SOURCE', 'a file reference needs a blob or a url', { file: ref.name });
}

async function readTopologyFrom(src: ByteSource, format: string | undefined, opts: BuildTopologyOptions): Promise<Topology | null> {
  const fmt = await defaultRegistry.detect(src, format);
  if (!fmt.readTopology) return null;
  const init = await fmt.readTopology(src);
  return buildTopology({ ...init, source: init.source ?? src.name }, opts);
}

/**
 * Open a trajectory with its topology through the format registry (the same readers as Node),
 * scanning the frame index unless `req.index` is given, and check both describe the same atoms.
 * @throws FormatError: unknown/unsupported format ('UNSUPPORTED'), a topology-only file given as
 *   trajectory, a topology file without names, corrupt data, or atom counts that differ ('MISMATCH').
 */
export async function openBrowserSystem(
  req: SystemRequest,
  options: { signal?: AbortSignal; onScanProgress?: (bytes: number, total: number) => void; onWarning?: (w: SolvscopeError) => void } = {},
): Promise<OpenedBrowserSystem> {
  const buildOpts: BuildTopologyOptions = { rename: req.rename, charges: req.charges };
  let topology: Topology | null = null;
  let topologySource = 'none';
  if (req.topology) {
    const tsrc = await openFileRef(req.topology, options.signal);
    try {
      topology = await readTopologyFrom(tsrc, req.topFormat, buildOpts);
      if (!topology) {
        const fmt = await defaultRegistry.detect(tsrc, req.topFormat);
        const names = defaultRegistry.formats.filter((f) => f.readTopology).map((f) => f.label);
        throw new FormatError('UNSUPPORTED', `${fmt.label} files carry no atom names or residues; give a topology file (${names.join(', ')})`, {
          file: tsrc.name,
          format: fmt.label,
        });
      }
      topologySource = req.topology.name;
    } finally {
      await tsrc.close();
    }
  }
  const src = await openFileRef(req.trajectory, options.signal);
  let trajectory: FrameSource;
  try {
    const fmt = await defaultRegistry.detect(src, req.format);
    if (!fmt.open) {
      throw new FormatError('UNSUPPORTED', `${fmt.label} files hold a topology, not a trajectory`, { file: src.name, format: fmt.label });
    }
    trajectory = await fmt.open(src, {
      index: req.index,
      atomCount: topology?.atomCount,
      signal: options.signal,
      onScanProgress: options.onScanProgress,
      onWarning: options.onWarning,
    });
    if (!topology) {
      topology = await readTopologyFrom(src, fmt.name, buildOpts);
      topologySource = topology ? req.trajectory.name : 'none';
    }
  } catch (e) {
    await src.close();
    throw e;
  }
  try {
    topology ??= anonymousTopology(trajectory.atomCount);
    if (topology.atomCount !== trajectory.atomCount) {
      throw new FormatError('MISMATCH', `topology ${topologySource} has ${topology.atomCount} atoms but the trajectory has ${trajectory.atomCount}`, {
        file: trajectory.name,
        format: trajectory.format.toUpperCase(),
        frame: 0,
      });
    }
    return { topology, trajectory, topologySource };
  } catch (e) {
    await trajectory.close();
    throw e;
  }
}
