import type {
  ByteSource,
  FormatCapabilities,
  Frame,
  FrameIndex,
  FrameSource,
  LengthUnit,
  SolvscopeError,
  TimeUnit,
  Topology,
  TopologyInit,
} from '@solvscope/core';

/** Options every reader's `open` accepts. */
export interface OpenOptions {
  /** A frame index from an earlier scan (e.g. the on-disk cache); skips the scan. */
  index?: FrameIndex;
  signal?: AbortSignal;
  /** Recoverable oddities (missing box in one model, …) with context. */
  onWarning?: (warning: SolvscopeError) => void;
  /** Called during the index scan with bytes scanned so far. */
  onScanProgress?: (bytesScanned: number, totalBytes: number) => void;
  /** Atom count from the topology, for formats whose frames do not state it. */
  atomCount?: number;
}

/** Where a writer puts its bytes (a Node write stream, an in-memory array, …). */
export interface ByteSink {
  readonly name: string;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface WriterOptions {
  /** Topology of the atoms being written (already restricted to the written atoms). */
  topology: Topology;
  /** XTC precision (1/nm), default 1000. */
  precision?: number;
}

/** Writes frames (positions in Å, time in ps) in one format. */
export interface TrajectoryWriter {
  /** Write a frame; `atoms` restricts to these atom indices (in order). */
  writeFrame(frame: Frame, atoms?: Int32Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * One entry of the format registry: metadata plus the functions that read (and write) it.
 * Registration is explicit (see registry.ts), never an import side effect.
 */
export interface FormatDescriptor {
  /** Registry key, lower case: 'xtc', 'trr', 'dcd', 'gro', 'pdb', 'xyz', 'lammps-dump', 'lammps-data'. */
  name: string;
  /** For messages: 'XTC', 'LAMMPS dump' … */
  label: string;
  /** File extensions without dot, lower case. */
  extensions: string[];
  description: string;
  /** Magic-number check on the first bytes (at most 4096), when the format has one. */
  sniff?(head: Uint8Array): boolean;
  /** Native units the reader converts from. */
  units: { length: LengthUnit; time: TimeUnit };
  capabilities: FormatCapabilities & { write: boolean; trajectory: boolean };
  /** Build the frame index by one scan that skips coordinates. */
  scanIndex?(source: ByteSource, options?: OpenOptions): Promise<FrameIndex>;
  /** Open a trajectory (scanning unless options.index is given). */
  open?(source: ByteSource, options?: OpenOptions): Promise<FrameSource>;
  /** Read the topology the file carries (names, residues …). */
  readTopology?(source: ByteSource, options?: OpenOptions): Promise<TopologyInit>;
  createWriter?(sink: ByteSink, options: WriterOptions): TrajectoryWriter;
}
