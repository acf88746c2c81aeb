"""Peer tools for the solvscope pipeline benchmarks (run with Debian's /usr/bin/python3).

  python3 peers.py mda-rdf   GRO XTC REF SEL NBINS RMAX_A OUT.json   MDAnalysis InterRDF
  python3 peers.py mdtraj-rdf GRO XTC REF SEL NBINS RMAX_A OUT.json  MDTraj compute_distances + histogram (all pairs)
  python3 peers.py mda-read  GRO XTC REPS                            MDAnalysis frame loop
  python3 peers.py mdtraj-read XTC REPS                              MDTraj XTCTrajectoryFile.read
  python3 peers.py versions

Selections are MDAnalysis selection strings ('name MG'); MDTraj takes its own selection
language and renames standard water atoms when it reads a GRO (SOL/OW → HOH/O), so the caller
gives it e.g. 'water and name O'. JSON results never hold NaN (null instead). Every command prints one JSON line on stdout: timings in seconds (time.perf_counter)
of the parts inside Python (load = Universe/topology, run = the analysis loop), so the caller
can report both the wall time of the whole process and the loop alone.
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def clean(a):
    return [None if x != x else float(x) for x in list(a)]


def mda_rdf(gro, xtc, ref, sel, nbins, rmax, out):
    t0 = time.perf_counter()
    import numpy as np
    import MDAnalysis as mda
    from MDAnalysis.analysis.rdf import InterRDF

    t_import = time.perf_counter()
    u = mda.Universe(gro, xtc)
    a = u.select_atoms(ref)
    b = u.select_atoms(sel)
    t_load = time.perf_counter()
    r = InterRDF(a, b, nbins=int(nbins), range=(0.0, float(rmax))).run()
    t_run = time.perf_counter()
    frames = r.n_frames
    count = np.asarray(r.results.count, dtype=np.float64)
    cn = np.cumsum(count) / (frames * len(a))
    json.dump(
        {
            "r": np.asarray(r.results.bins).tolist(),
            "g": clean(r.results.rdf),
            "n": clean(cn),
            "frames": frames,
            "nRef": len(a),
            "nSel": len(b),
        },
        open(out, "w"),
    )
    print(json.dumps({"frames": frames, "atoms": u.atoms.n_atoms, "import_s": t_import - t0, "load_s": t_load - t_import, "run_s": t_run - t_load}))


def mdtraj_rdf(gro, xtc, ref, sel, nbins, rmax, out):
    t0 = time.perf_counter()
    import numpy as np
    import mdtraj as md

    t_import = time.perf_counter()
    top = md.load_topology(gro)
    pairs = top.select_pairs(top.select(ref), top.select(sel))
    t_load = time.perf_counter()
    counts = None
    frames = 0
    vol = 0.0
    # what md.compute_rdf does (compute_distances + np.histogram), per chunk so memory stays
    # bounded and the counts of the chunks add up exactly
    for chunk in md.iterload(xtc, top=top, chunk=50):
        edges = np.linspace(0.0, float(rmax) / 10, int(nbins) + 1)
        shell = 4.0 / 3.0 * np.pi * (edges[1:] ** 3 - edges[:-1] ** 3)
        d = md.compute_distances(chunk, pairs)  # nm
        c, _ = np.histogram(d, bins=edges)
        counts = c if counts is None else counts + c
        frames += chunk.n_frames
        vol += float(np.sum(chunk.unitcell_volumes))
        del d
    t_run = time.perf_counter()
    mean_v = vol / frames
    g = counts / (frames * shell * len(pairs) / mean_v)
    cn = np.cumsum(counts) / (frames * len(set(pairs[:, 0].tolist())))
    if len(pairs) == 0:
        raise SystemExit(f"no pairs for {ref!r} / {sel!r}")
    json.dump({"r": ((edges[1:] + edges[:-1]) * 5).tolist(), "g": clean(g), "n": clean(cn), "frames": frames}, open(out, "w"))
    print(json.dumps({"frames": frames, "atoms": top.n_atoms, "import_s": t_import - t0, "load_s": t_load - t_import, "run_s": t_run - t_load}))


def mda_read(gro, xtc, reps):
    import MDAnalysis as mda

    u = mda.Universe(gro, xtc)
    best = 1e30
    for _ in range(int(reps)):
        t = time.perf_counter()
        s = 0.0
        for ts in u.trajectory:
            s += float(ts.positions[0, 0])
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"frames": len(u.trajectory), "atoms": u.atoms.n_atoms, "best_s": best}))


def mdtraj_read(xtc, reps):
    import mdtraj as md

    best = 1e30
    frames = atoms = 0
    for _ in range(int(reps)):
        t = time.perf_counter()
        frames = 0
        with md.formats.XTCTrajectoryFile(xtc, "r") as f:
            while True:
                xyz, _time, _step, _box = f.read(n_frames=20)
                if len(xyz) == 0:
                    break
                frames += len(xyz)
                atoms = xyz.shape[1]
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"frames": frames, "atoms": atoms, "best_s": best}))


def versions():
    out = {"python": sys.version.split()[0]}
    for name in ("MDAnalysis", "mdtraj", "numpy"):
        try:
            m = __import__(name)
            v = getattr(m, "__version__", None) or getattr(getattr(m, "version", None), "version", None)
            out[name] = v or "installed"
        except Exception as e:  # noqa: BLE001
            out[name] = None
    try:
        from threadpoolctl import threadpool_info

        out["blas"] = [(i.get("internal_api"), i.get("architecture"), i.get("num_threads")) for i in threadpool_info()]
    except Exception:  # noqa: BLE001
        pass
    print(json.dumps(out))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"mda-rdf": mda_rdf, "mdtraj-rdf": mdtraj_rdf, "mda-read": mda_read, "mdtraj-read": mdtraj_read, "versions": versions}[cmd](*args)
