import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Box, Topology } from '@solvscope/core';
import type { Shell } from '../model/shell';
import type { ViewerPlan } from '../model/plan';
import { ballRadius, elementColor, guessBonds } from '../model/chem';

export interface SceneProps {
  topology: Topology;
  plan: ViewerPlan;
  shell: Shell | null;
  /** All atoms at their minimum image around the ion, relative to it (Å), or null to hide. */
  cloud: Float32Array | null;
  box: Box | null;
  /** Called after the scene has drawn `stamp` (the app's frame-request time, ms), for latency stats. */
  onDrawn?(stamp: number): void;
  stamp: number;
  /** Receives a function that draws the scene once synchronously and returns the time it took (ms). */
  onTimer?(drawOnce: () => number): void;
}

const SOLVENT_BOND = new THREE.Color('#8fa3b8');
const ANION_BOND = new THREE.Color('#f08a4b');
const CONTACT = '#ffd54a';
const tmpM = new THREE.Matrix4();
const tmpQ = new THREE.Quaternion();
const tmpV = new THREE.Vector3();
const tmpS = new THREE.Vector3();
const UP = new THREE.Vector3(0, 1, 0);

function instanced(geometry: THREE.BufferGeometry, capacity: number): THREE.InstancedMesh {
  const mesh = new THREE.InstancedMesh(geometry, new THREE.MeshStandardMaterial({ roughness: 0.45, metalness: 0.05 }), capacity);
  // colours must exist before the first draw so the shader is compiled with them
  mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
  mesh.count = 0;
  mesh.frustumCulled = false;
  return mesh;
}

interface Drawn {
  balls: { x: number; y: number; z: number; r: number; color: THREE.Color }[];
  sticks: { a: THREE.Vector3; b: THREE.Vector3; r: number; color: THREE.Color }[];
  contacts: number[];
}

const bondCaches = new WeakMap<Topology, Map<number, [number, number][]>>();

/** Balls, sticks and contact lines of the shell, relative to the ion. */
function buildShell(topology: Topology, plan: ViewerPlan, shell: Shell): Drawn {
  const [cx, cy, cz] = shell.center;
  const ionEl = topology.elements[shell.ionAtom];
  const balls: Drawn['balls'] = [{ x: 0, y: 0, z: 0, r: 1.25 * ballRadius(ionEl), color: new THREE.Color(elementColor(ionEl)) }];
  const sticks: Drawn['sticks'] = [];
  const contacts: number[] = [];
  let bondCache = bondCaches.get(topology);
  if (!bondCache) bondCaches.set(topology, (bondCache = new Map()));
  for (const m of shell.molecules) {
    const els = Array.from(m.atoms, (a) => topology.elements[a]);
    let bonds = bondCache.get(m.molecule);
    if (!bonds) bondCache.set(m.molecule, (bonds = guessBonds(els, m.positions)));
    const p = (k: number) => new THREE.Vector3(m.positions[3 * k] - cx, m.positions[3 * k + 1] - cy, m.positions[3 * k + 2] - cz);
    const inContact = new Set(m.contacts);
    for (let k = 0; k < m.atoms.length; k++) {
      const v = p(k);
      const c = new THREE.Color(elementColor(els[k]));
      balls.push({ x: v.x, y: v.y, z: v.z, r: ballRadius(els[k]) * (inContact.has(k) ? 1.7 : 1), color: c });
    }
    const anion = plan.partners[m.partner]?.anion;
    for (const [i, j] of bonds) sticks.push({ a: p(i), b: p(j), r: 0.12, color: anion ? ANION_BOND : SOLVENT_BOND });
    for (const k of m.contacts) {
      const v = p(k);
      contacts.push(0, 0, 0, v.x, v.y, v.z);
    }
  }
  return { balls, sticks, contacts };
}

function ShellMeshes({ topology, plan, shell }: { topology: Topology; plan: ViewerPlan; shell: Shell | null }) {
  const invalidate = useThree((s) => s.invalidate);
  const balls = useMemo(() => instanced(new THREE.SphereGeometry(1, 24, 16), 4096), []);
  const sticks = useMemo(() => instanced(new THREE.CylinderGeometry(1, 1, 1, 12, 1), 8192), []);
  const contacts = useMemo(() => {
    const m = new THREE.InstancedMesh(
      new THREE.CylinderGeometry(1, 1, 1, 8, 1),
      new THREE.MeshBasicMaterial({ color: CONTACT, transparent: true, opacity: 0.8 }),
      256,
    );
    m.count = 0;
    m.frustumCulled = false;
    return m;
  }, []);
  useLayoutEffect(() => {
    const d = shell ? buildShell(topology, plan, shell) : { balls: [], sticks: [], contacts: [] };
    const nb = Math.min(d.balls.length, 4096);
    for (let i = 0; i < nb; i++) {
      const b = d.balls[i];
      tmpM.makeScale(b.r, b.r, b.r).setPosition(b.x, b.y, b.z);
      balls.setMatrixAt(i, tmpM);
      balls.setColorAt(i, b.color);
    }
    balls.count = nb;
    balls.instanceMatrix.needsUpdate = true;
    balls.instanceColor!.needsUpdate = true;
    const ns = Math.min(d.sticks.length, 8192);
    for (let i = 0; i < ns; i++) {
      const s = d.sticks[i];
      tmpV.subVectors(s.b, s.a);
      const len = tmpV.length();
      tmpQ.setFromUnitVectors(UP, tmpV.normalize());
      tmpS.set(s.r, len, s.r);
      tmpM.compose(tmpV.copy(s.a).add(s.b).multiplyScalar(0.5), tmpQ, tmpS);
      sticks.setMatrixAt(i, tmpM);
      sticks.setColorAt(i, s.color);
    }
    sticks.count = ns;
    sticks.instanceMatrix.needsUpdate = true;
    sticks.instanceColor!.needsUpdate = true;
    const nc = Math.min(d.contacts.length / 6, 256);
    for (let i = 0; i < nc; i++) {
      const c = d.contacts;
      const a = new THREE.Vector3(c[6 * i], c[6 * i + 1], c[6 * i + 2]);
      const b = new THREE.Vector3(c[6 * i + 3], c[6 * i + 4], c[6 * i + 5]);
      tmpV.subVectors(b, a);
      const len = tmpV.length();
      tmpQ.setFromUnitVectors(UP, tmpV.normalize());
      tmpS.set(0.05, len, 0.05);
      tmpM.compose(tmpV.copy(a).add(b).multiplyScalar(0.5), tmpQ, tmpS);
      contacts.setMatrixAt(i, tmpM);
    }
    contacts.count = nc;
    contacts.instanceMatrix.needsUpdate = true;
    invalidate();
  }, [topology, plan, shell, balls, sticks, contacts, invalidate]);
  return (
    <>
      <primitive object={balls} />
      <primitive object={sticks} />
      <primitive object={contacts} />
    </>
  );
}

function Cloud({ cloud }: { cloud: Float32Array | null }) {
  const invalidate = useThree((s) => s.invalidate);
  const points = useMemo(() => {
    const p = new THREE.Points(
      new THREE.BufferGeometry(),
      new THREE.PointsMaterial({ color: '#7f93ad', size: 2, sizeAttenuation: false, transparent: true, opacity: 0.45, depthWrite: false }),
    );
    p.frustumCulled = false;
    return p;
  }, []);
  useLayoutEffect(() => {
    const g = points.geometry;
    const attr = g.getAttribute('position') as THREE.BufferAttribute | undefined;
    if (!cloud) {
      points.visible = false;
    } else if (attr && attr.array.length === cloud.length) {
      (attr.array as Float32Array).set(cloud);
      attr.needsUpdate = true;
      points.visible = true;
    } else {
      g.setAttribute('position', new THREE.BufferAttribute(cloud.slice(), 3));
      points.visible = true;
    }
    invalidate();
  }, [cloud, points, invalidate]);
  return <primitive object={points} />;
}

function BoxLines({ box }: { box: Box | null }) {
  const invalidate = useThree((s) => s.invalidate);
  const lines = useMemo(() => {
    const l = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: '#56657a' }));
    l.frustumCulled = false;
    return l;
  }, []);
  useLayoutEffect(() => {
    if (!box) {
      lines.visible = false;
      return;
    }
    const corner = (i: number, j: number, k: number) => [0, 1, 2].map((c) => (i - 0.5) * box[c] + (j - 0.5) * box[3 + c] + (k - 0.5) * box[6 + c]);
    const pts: number[] = [];
    for (const [a, b] of [
      [[0, 0, 0], [1, 0, 0]], [[0, 1, 0], [1, 1, 0]], [[0, 0, 1], [1, 0, 1]], [[0, 1, 1], [1, 1, 1]],
      [[0, 0, 0], [0, 1, 0]], [[1, 0, 0], [1, 1, 0]], [[0, 0, 1], [0, 1, 1]], [[1, 0, 1], [1, 1, 1]],
      [[0, 0, 0], [0, 0, 1]], [[1, 0, 0], [1, 0, 1]], [[0, 1, 0], [0, 1, 1]], [[1, 1, 0], [1, 1, 1]],
    ] as [number[], number[]][]) {
      pts.push(...corner(a[0], a[1], a[2]), ...corner(b[0], b[1], b[2]));
    }
    lines.geometry.setAttribute('position', new THREE.Float32BufferAttribute(pts, 3));
    lines.visible = true;
    invalidate();
  }, [box, lines, invalidate]);
  return <primitive object={lines} />;
}

function Controls() {
  const { camera, gl, invalidate } = useThree();
  useEffect(() => {
    const c = new OrbitControls(camera, gl.domElement);
    c.addEventListener('change', () => invalidate());
    return () => c.dispose();
  }, [camera, gl, invalidate]);
  return null;
}

function DrawnReporter({ stamp, onDrawn }: { stamp: number; onDrawn?(stamp: number): void }) {
  const pending = useRef(stamp);
  pending.current = stamp;
  const reported = useRef(-1);
  useFrame(() => {
    if (onDrawn && pending.current !== reported.current) {
      reported.current = pending.current;
      // the draw of this tick follows right after the frame callbacks
      const s = pending.current;
      queueMicrotask(() => onDrawn(s));
    }
  });
  return null;
}

/**
 * The 3D view: the ion at the origin, its first-shell molecules as ball-and-stick (instanced
 * meshes; atoms by element, donor atoms in contact enlarged, bonds grey-blue for solvents and
 * orange for anions), ion–donor contacts as thin yellow rods, the rest of the system as faint points and
 * the periodic cell around the ion. Orbit controls; draws on demand.
 */
export function Scene(props: SceneProps) {
  return (
    <Canvas
      frameloop="demand"
      dpr={[1, 2]}
      gl={{ preserveDrawingBuffer: true, antialias: true }}
      camera={{ position: [0, 4, 19], fov: 45, near: 0.1, far: 500 }}
      onCreated={(state) =>
        props.onTimer?.(() => {
          const t = performance.now();
          state.gl.render(state.scene, state.camera);
          state.gl.getContext().finish();
          return performance.now() - t;
        })
      }
    >
      <color attach="background" args={['#10141c']} />
      <ambientLight intensity={0.55} />
      <directionalLight position={[8, 14, 12]} intensity={2.2} />
      <directionalLight position={[-10, -6, -8]} intensity={0.6} />
      <ShellMeshes topology={props.topology} plan={props.plan} shell={props.shell} />
      <Cloud cloud={props.cloud} />
      <BoxLines box={props.box} />
      <Controls />
      <DrawnReporter stamp={props.stamp} onDrawn={props.onDrawn} />
    </Canvas>
  );
}
