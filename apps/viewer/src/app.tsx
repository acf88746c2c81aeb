import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BrowserSession, type SystemInfo, type SystemRequest } from '@solvscope/browser';
import { SolvscopeError, type AnalysisRequest, type Frame, type Progress } from '@solvscope/core';
import { FileDrop } from './components/file-drop';
import { FrameControls } from './components/frame-controls';
import { IonPicker, type IonEntry } from './components/ion-picker';
import { RdfPlot } from './components/rdf-plot';
import { Scene } from './components/scene';
import { SpeciationTable } from './components/speciation-table';
import { Timeline } from './components/timeline';
import { download, rdfCsv, resultsJson, speciationCsv } from './model/export';
import { classifyFiles } from './model/files';
import { buildViewerPlan, candidateIons, chooseCutoffs, cutoffSampleStep, rdfRequests, solvationRequest, type ViewerPlan } from './model/plan';
import type { RdfCurve, Solvation } from './model/results';
import { centredCloud, computeShell } from './model/shell';
import { codeAt, findIonFrame, ordinalOfFrame, timeFractions } from './model/timeline';

type Phase =
  | { kind: 'idle' }
  | { kind: 'opening'; what: string; done: number; total: number }
  | { kind: 'analysing'; what: string; done: number; total: number }
  | { kind: 'ready' }
  | { kind: 'error'; message: string };

/** Frame-change statistics for tests and the README numbers (ms). */
interface ViewerStats {
  latencies: number[];
  /** Worker round trip of each frame read (ms). */
  readMs: number[];
  framesShown: number;
  playFps: number;
  lastFrameDrawn: number;
  /** The last solvation request and its result as JSON (tests compare it with an in-process run). */
  lastSolvation?: { request: AnalysisRequest; json: string };
  /** Draw the 3D scene once, synchronously, and return the milliseconds it took. */
  drawOnce?: () => number;
}
declare global {
  interface Window {
    __solvscope?: ViewerStats;
  }
}

const createWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

function messageOf(e: unknown): string {
  if (e instanceof SolvscopeError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [plan, setPlan] = useState<ViewerPlan | null>(null);
  const [rdfs, setRdfs] = useState<RdfCurve[]>([]);
  const [cutoffs, setCutoffs] = useState<number[]>([]);
  const [solv, setSolv] = useState<Solvation | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [ion, setIon] = useState(0);
  const [frameIndex, setFrameIndex] = useState(0);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [playing, setPlaying] = useState(false);
  const [partner, setPartner] = useState(0);
  const [filter, setFilter] = useState<string | null>(null);
  const [showCloud, setShowCloud] = useState(true);
  const [stamp, setStamp] = useState(0);
  const session = useRef<BrowserSession | null>(null);
  const abort = useRef<AbortController | null>(null);
  const stats = useRef<ViewerStats>({ latencies: [], readMs: [], framesShown: 0, playFps: NaN, lastFrameDrawn: -1 });
  const loader = useRef({ want: -1, busy: false, requested: new Map<number, number>(), ahead: null as null | { i: number; frame: Promise<Frame> } });

  const playingRef = useRef(false);
  const infoRef = useRef<SystemInfo | null>(null);
  playingRef.current = playing;
  infoRef.current = info;
  useEffect(() => {
    window.__solvscope = stats.current;
  }, []);

  const progress = (what: string, kind: 'analysing') => (p: Progress) => setPhase({ kind, what, done: p.framesDone, total: p.framesTotal });

  /** Run the solvation analysis for the given cutoffs (cancelling a run still going). */
  const runSolvation = useCallback(async (s: BrowserSession, pl: ViewerPlan, cut: number[]) => {
    abort.current?.abort();
    const ac = new AbortController();
    abort.current = ac;
    setPhase({ kind: 'analysing', what: 'first shells', done: 0, total: s.info.frameCount });
    const request = solvationRequest(pl, cut);
    // One pass over every frame: the full g(r)s (shown) and the shells, as `solvscope analyze` does.
    const rdfReqs = rdfRequests(pl);
    const all = await s.analyze([...rdfReqs, request], { signal: ac.signal, onProgress: progress('first shells', 'analysing') });
    const run = { ...all, results: all.results.slice(rdfReqs.length) };
    setRdfs(all.results.slice(0, rdfReqs.length) as RdfCurve[]);
    stats.current.lastSolvation = { request, json: resultsJson(run.results[0]) };
    setSolv(run.results[0] as Solvation);
    setWarnings((w) => [...w, ...run.errors.map((e) => e.message), ...((run.results[0] as Solvation).warnings ?? [])]);
    setPhase({ kind: 'ready' });
  }, []);

  const open = useCallback(
    async (req: SystemRequest) => {
      abort.current?.abort();
      loader.current.ahead = null;
      const old = session.current;
      session.current = null;
      void old?.close();
      setInfo(null);
      setPlan(null);
      setSolv(null);
      setRdfs([]);
      setFrame(null);
      setWarnings([]);
      setPlaying(false);
      setFilter(null);
      try {
        setPhase({ kind: 'opening', what: `indexing ${req.trajectory.name}`, done: 0, total: 1 });
        const s = await BrowserSession.open(req, {
          createWorker,
          onOpenProgress: (p) => setPhase({ kind: 'opening', what: `indexing ${req.trajectory.name}`, done: p.bytesScanned, total: p.totalBytes }),
        });
        session.current = s;
        const inf = s.info;
        if (inf.frameCount === 0) throw new Error(`${inf.trajectoryName}: no complete frame in the file`);
        const warn = [...inf.warnings.map((w) => w.message)];
        if (inf.tailError) warn.push(inf.tailError.message);
        setWarnings(warn);
        const pl = buildViewerPlan(inf.topology, inf.firstFrame?.box ?? null);
        setInfo(inf);
        setPlan(pl);
        setFrame(inf.firstFrame);
        setFrameIndex(0);
        setIon(0);
        const ac = new AbortController();
        abort.current = ac;
        setPhase({ kind: 'analysing', what: 'g(r)', done: 0, total: inf.frameCount });
        // Cutoffs from g(r) over the same evenly spaced sample of frames as `solvscope analyze`.
        const rdfRun = await s.analyze(rdfRequests(pl), { step: cutoffSampleStep(inf.frameCount), signal: ac.signal, onProgress: progress('g(r)', 'analysing') });
        const curves = rdfRun.results as RdfCurve[];
        const cut = chooseCutoffs(pl, curves);
        setRdfs(curves);
        setCutoffs(cut);
        setPartner(Math.max(0, pl.partners.findIndex((p) => !p.anion)));
        await runSolvation(s, pl, cut);
      } catch (e) {
        if (e instanceof SolvscopeError && e.code === 'ABORTED') return;
        setPhase({ kind: 'error', message: messageOf(e) });
      }
    },
    [runSolvation],
  );

  /** Latest-wins frame loading: at most one read in flight, intermediate requests skipped. */
  const requestFrame = useCallback((i: number) => {
    const l = loader.current;
    l.want = i;
    l.requested.set(i, performance.now());
    setFrameIndex(i);
    if (l.busy) return;
    l.busy = true;
    void (async () => {
      try {
        while (session.current) {
          const target = l.want;
          const t = performance.now();
          const pre = l.ahead?.i === target ? l.ahead.frame : null;
          l.ahead = null;
          const f = await (pre ?? session.current.readFrame(target));
          stats.current.readMs.push(performance.now() - t);
          // while playing, read the next frame while this one is drawn
          if (playingRef.current && infoRef.current) {
            const nx = (target + 1) % infoRef.current.frameCount;
            const p = session.current.readFrame(nx);
            p.catch(() => undefined);
            l.ahead = { i: nx, frame: p };
          }
          setFrame(f);
          setStamp(l.requested.get(target) ?? performance.now());
          if (l.want === target) break;
        }
      } catch (e) {
        setPhase({ kind: 'error', message: messageOf(e) });
      } finally {
        l.busy = false;
      }
    })();
  }, []);

  const onDrawn = useCallback(
    (s: number) => {
      if (!frame) return;
      const st = stats.current;
      for (const [i, t] of loader.current.requested) {
        if (t === s) {
          st.latencies.push(performance.now() - t);
          loader.current.requested.delete(i);
        }
      }
      st.framesShown++;
      st.lastFrameDrawn = frame.index;
    },
    [frame],
  );

  // play: advance as soon as the previous frame is drawn, at most ~30 frames per second
  useEffect(() => {
    if (!playing || !info) return;
    let cancelled = false;
    const t0 = performance.now();
    const shown0 = stats.current.framesShown;
    let next = frameIndex;
    const tick = () => {
      if (cancelled) return;
      if (!loader.current.busy) {
        next = (next + 1) % info.frameCount;
        requestFrame(next);
      }
      const dt = (performance.now() - t0) / 1000;
      if (dt > 0.5) stats.current.playFps = (stats.current.framesShown - shown0) / dt;
      setTimeout(tick, 33);
    };
    const id = setTimeout(tick, 33);
    return () => {
      cancelled = true;
      clearTimeout(id);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, info, requestFrame]);

  const ionAtom = plan ? plan.ionAtoms[Math.min(ion, plan.ionAtoms.length - 1)] : -1;
  const shell = useMemo(() => (info && plan && frame && cutoffs.length === plan.partners.length ? computeShell(info.topology, plan, cutoffs, frame, ionAtom) : null), [info, plan, frame, cutoffs, ionAtom]);
  const cloudBuf = useRef<Float32Array | null>(null);
  const cloud = useMemo(() => {
    if (!showCloud || !frame || !shell) return null;
    if (!cloudBuf.current || cloudBuf.current.length !== frame.positions.length) cloudBuf.current = new Float32Array(frame.positions.length);
    return centredCloud(frame, shell.center, cloudBuf.current).subarray(0);
  }, [frame, shell, showCloud]);

  const tl = solv?.perIonTimeline;
  const labelIndex = useMemo(() => new Map((solv?.speciation ?? []).map((e, k) => [e.label, k])), [solv]);
  const ions: IonEntry[] = useMemo(() => {
    if (!plan) return [];
    const f = tl ? ordinalOfFrame(tl, frameIndex) : -1;
    const code = tl && filter !== null ? tl.labels.indexOf(filter) : -1;
    const shares = tl && code >= 0 ? timeFractions(tl, code) : null;
    return Array.from(plan.ionAtoms, (atom, k) => ({
      ordinal: k,
      atom,
      label: tl && f >= 0 ? (tl.labels[codeAt(tl, k, f)] ?? '') : '',
      share: filter === null ? NaN : (shares?.[k] ?? 0),
    }));
  }, [plan, tl, frameIndex, filter]);

  // Handlers read the latest state through a ref, so they stay the same function and the
  // memoised panels do not re-render on every frame change.
  const live = useRef({ tl, ion, frameIndex, cutoffs, partner, plan });
  live.current = { tl, ion, frameIndex, cutoffs, partner, plan };
  const onSpecies = useCallback(
    (label: string) => {
      const { tl: t, ion: i, frameIndex: f } = live.current;
      if (!t) return;
      const code = t.labels.indexOf(label);
      const hit = code >= 0 ? findIonFrame(t, code, i, f) : null;
      if (!hit) return;
      setIon(hit.ion);
      setFilter(label);
      requestFrame(hit.frame);
    },
    [requestFrame],
  );

  const onCutoff = useCallback(
    (r: number, done: boolean) => {
      const { cutoffs: cur, partner: p, plan: pl } = live.current;
      const next = cur.slice();
      next[p] = r;
      setCutoffs(next);
      live.current.cutoffs = next;
      if (done && session.current && pl) {
        runSolvation(session.current, pl, next).catch((e) => {
          if (!(e instanceof SolvscopeError && e.code === 'ABORTED')) setPhase({ kind: 'error', message: messageOf(e) });
        });
      }
    },
    [runSolvation],
  );

  const exportPng = () => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="canvas"] canvas');
    if (c) download(`solvscope-frame${frameIndex}.png`, c.toDataURL('image/png'));
  };
  const exportCsv = () => {
    if (solv) download('speciation.csv', speciationCsv(solv), 'text/csv');
    rdfs.forEach((r, k) => plan && download(`rdf-${plan.ion.name}-${plan.partners[k].key}.csv`, rdfCsv(plan.partners[k].key, r), 'text/csv'));
  };
  const exportJson = () => {
    if (!plan) return;
    const rdf = Object.fromEntries(rdfs.map((r, k) => [plan.partners[k].key, r]));
    download('solvscope-results.json', resultsJson({ ion: plan.ion.name, cutoffs: Object.fromEntries(plan.partners.map((p, k) => [p.key, cutoffs[k]])), rdf, solvation: solv }), 'application/json');
  };

  const onFiles = (files: File[]) => {
    try {
      void open(classifyFiles(files));
    } catch (e) {
      setPhase({ kind: 'error', message: messageOf(e) });
    }
  };

  // ?traj=URL&top=URL[&token=T]: files served with HTTP range requests (e.g. by `solvscope serve`)
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const traj = q.get('traj');
    if (!traj) return;
    const token = q.get('token');
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    const ref = (url: string) => ({ name: decodeURIComponent(url.split('?')[0].split('/').pop() || url), url: new URL(url, window.location.href).href, headers });
    const top = q.get('top');
    void open({ trajectory: ref(traj), topology: top ? ref(top) : undefined });
  }, [open]);

  const busy = phase.kind === 'opening' || phase.kind === 'analysing';
  return (
    <div
      className="app"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        if (e.dataTransfer.files.length) onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <header>
        <h1>solvscope</h1>
        <FileDrop
          disabled={false}
          onFiles={onFiles}
          onExample={async () => {
            try {
              setPhase({ kind: 'opening', what: 'downloading the example', done: 0, total: 1 });
              const get = async (n: string) => new File([await (await fetch(`./example/${n}`)).blob()], n);
              const [gro, xtc] = await Promise.all([get('final.gro'), get('prod.xtc')]);
              await open({ topology: { name: gro.name, blob: gro }, trajectory: { name: xtc.name, blob: xtc } });
            } catch (e) {
              setPhase({ kind: 'error', message: messageOf(e) });
            }
          }}
        />
        {info && (
          <span className="sysinfo" data-testid="system-info">
            {info.trajectoryName} · {info.atomCount} atoms · {info.frameCount} frames · {info.topology.species.map((s) => `${s.count} ${s.name}`).join(', ')}
          </span>
        )}
      </header>
      {busy && (
        <div className="status" data-testid="progress">
          <span>{phase.what}…</span>
          <progress value={phase.done} max={Math.max(1, phase.total)} />
          {phase.kind === 'analysing' && (
            <button type="button" onClick={() => abort.current?.abort()}>
              cancel
            </button>
          )}
        </div>
      )}
      {phase.kind === 'error' && (
        <div className="error" role="alert" data-testid="error">
          {phase.message}
        </div>
      )}
      {warnings.length > 0 && (
        <div className="warning" data-testid="warnings">
          {warnings.map((w, k) => (
            <div key={k}>{w}</div>
          ))}
        </div>
      )}
      <main>
        <section className="view">
          <div className="canvas-wrap" data-testid="canvas">
            {info && plan ? (
              <>
                <Scene topology={info.topology} plan={plan} shell={shell} cloud={cloud} box={frame?.box ?? null} stamp={stamp} onDrawn={onDrawn} onTimer={(f) => (stats.current.drawOnce = f)} />
                <div className="overlay">
                  <div className="shell-label" data-testid="shell-label">
                    {shell?.label}
                  </div>
                  <div className="muted">
                    {plan.ion.name} {ion + 1} (atom {ionAtom + 1}) · frame {frame?.index ?? 0}
                    {frame && Number.isFinite(frame.time) ? ` · ${frame.time.toFixed(1)} ps` : ''}
                  </div>
                  <div className="legend">
                    {plan.partners.map((p) => (
                      <span key={p.key} className={p.anion ? 'anion' : 'solvent'}>
                        {p.key} {p.anion ? '(anion)' : '(solvent)'}
                      </span>
                    ))}
                    <span className="contact">ion–donor contact</span>
                  </div>
                </div>
              </>
            ) : (
              <div className="empty">Drop a topology (GRO, PDB, LAMMPS data) and a trajectory (XTC, TRR, DCD, LAMMPS dump) here, or load the example.</div>
            )}
          </div>
          {info && (
            <FrameControls
              frame={frameIndex}
              frameCount={info.frameCount}
              timePs={frame?.time ?? NaN}
              playing={playing}
              onFrame={(i) => {
                setPlaying(false);
                requestFrame(i);
              }}
              onPlay={setPlaying}
            />
          )}
          {info && (
            <div className="toolbar">
              <label>
                <input type="checkbox" checked={showCloud} onChange={(e) => setShowCloud(e.target.checked)} /> rest of the system
              </label>
              {candidateIons(info.topology).length > 1 && (
                <label>
                  ion species{' '}
                  <select
                    value={plan?.ion.index}
                    onChange={(e) => {
                      const pl = buildViewerPlan(info.topology, info.firstFrame?.box ?? null, Number(e.target.value));
                      setPlan(pl);
                      setIon(0);
                      setCutoffs(pl.partners.map(() => 3));
                      if (session.current) {
                        const s = session.current;
                        s.analyze(rdfRequests(pl), { step: cutoffSampleStep(s.info.frameCount) })
                          .then((run) => {
                            const curves = run.results as RdfCurve[];
                            const cut = chooseCutoffs(pl, curves);
                            setRdfs(curves);
                            setCutoffs(cut);
                            return runSolvation(s, pl, cut);
                          })
                          .catch((err) => setPhase({ kind: 'error', message: messageOf(err) }));
                      }
                    }}
                  >
                    {candidateIons(info.topology).map((s) => (
                      <option key={s.index} value={s.index}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <span className="exports">
                export <button type="button" onClick={exportPng}>PNG</button>
                <button type="button" onClick={exportCsv} disabled={!solv}>
                  CSV
                </button>
                <button type="button" onClick={exportJson} disabled={!solv}>
                  JSON
                </button>
              </span>
            </div>
          )}
        </section>
        <aside>
          {plan && rdfs.length > 0 && (
            <section>
              <h2>g(r) and n(r)</h2>
              <div className="tabs">
                {plan.partners.map((p, k) => (
                  <button type="button" key={p.key} className={k === partner ? 'on' : undefined} onClick={() => setPartner(k)}>
                    {p.key}
                  </button>
                ))}
              </div>
              {rdfs[partner] && <RdfPlot name={plan.partners[partner].key} ion={plan.ion.name} rdf={rdfs[partner]} cutoff={cutoffs[partner]} onCutoff={onCutoff} />}
            </section>
          )}
          {solv && plan && (
            <section>
              <h2>First-shell species</h2>
              <SpeciationTable solvation={solv} current={shell?.label} onSelect={onSpecies} />
              <IonPicker
                ions={ions}
                labels={solv.speciation.map((e) => e.label)}
                filter={filter}
                selected={ion}
                onFilter={setFilter}
                onSelect={setIon}
                ionName={plan.ion.name}
              />
              {tl && (
                <Timeline
                  timeline={tl}
                  colorCode={(l) => labelIndex.get(l) ?? -1}
                  selectedIon={ion}
                  frame={frameIndex}
                  ionName={plan.ion.name}
                  onPick={(i, f) => {
                    setIon(i);
                    requestFrame(f);
                  }}
                />
              )}
            </section>
          )}
        </aside>
      </main>
    </div>
  );
}
