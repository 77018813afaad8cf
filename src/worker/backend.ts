/**
 * The backend ladder: pick and start a tfjs backend inside the engine worker.
 *
 * Automatic order (first that starts and passes a tiny sanity op wins):
 *   hardware webgpu → hardware webgl → wasm → software webgl → software webgpu → cpu.
 * Software GPU adapters (SwiftShader & co.) are 30–60× slower than wasm on our machines
 * (see shared/design/PLATFORM.md), so they rank below it.
 *
 * A backend can be forced by name; then only that one is tried and failure is an error.
 */
import * as tf from '@tensorflow/tfjs';
// Registers the 'webgpu' backend, but only if navigator.gpu exists when this module loads.
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, withTimeout } from '../core/backend/initBackend';
import { runCase } from '../core/bench/cases';
import { isBackendName, type BackendInfo, type BackendName } from './protocol';
import { WASM_FILE_MAP } from './wasmPaths';

export interface StartOptions {
  /** Force one backend by name; unset = automatic ladder. */
  backend?: string;
  /** Limit for each `tf.setBackend` and for the sanity op, in ms. */
  timeoutMs?: number;
  /** Time a few training steps on each hardware candidate and keep the fastest (default true). */
  timeSteps?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const ADAPTER_TIMEOUT_MS = 10_000;
const SOFTWARE_RE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** A backend that looks startable, with what we know of its device before starting it. */
interface Candidate {
  name: BackendName;
  adapter: string;
  software: boolean;
}

type Probe = { ok: true; candidate: Candidate } | { ok: false; reason: string };

// --- minimal WebGPU typings (the DOM lib shipped with TypeScript has none) ---
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  /** Older Chromium exposed the flag on the adapter itself. */
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String(err.message);
  return String(err);
}

// --- probes ------------------------------------------------------------------

async function probeWebGpu(): Promise<Probe> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { ok: false, reason: 'navigator.gpu is not available' };
  if (!tf.findBackendFactory('webgpu')) return { ok: false, reason: 'tfjs webgpu backend not registered' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await withTimeout(
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      ADAPTER_TIMEOUT_MS,
      'requestAdapter()',
    );
  } catch (err) {
    return { ok: false, reason: `requestAdapter failed: ${errorMessage(err)}` };
  }
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter' };
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description]
    .map((s) => (s ?? '').trim())
    .filter((s, i, all) => s !== '' && all.indexOf(s) === i);
  const described = parts.join(' ') || 'unknown WebGPU adapter';
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  const software = fallback || info.architecture === 'swiftshader' || SOFTWARE_RE.test(described);
  return {
    ok: true,
    candidate: { name: 'webgpu', adapter: fallback ? `${described} (fallback adapter)` : described, software },
  };
}

function probeWebGl(): Probe {
  if (!tf.findBackendFactory('webgl')) return { ok: false, reason: 'tfjs webgl backend not registered' };
  if (typeof OffscreenCanvas === 'undefined') return { ok: false, reason: 'OffscreenCanvas is not available' };
  let gl: WebGL2RenderingContext | null = null;
  try {
    gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  } catch (err) {
    return { ok: false, reason: `WebGL2 context failed: ${errorMessage(err)}` };
  }
  if (!gl) return { ok: false, reason: 'no WebGL2 context' };
  try {
    let renderer = String(gl.getParameter(gl.RENDERER));
    let vendor = String(gl.getParameter(gl.VENDOR));
    // Chromium masks RENDERER ("WebKit WebGL"); Firefox unmasks it and deprecates the extension.
    if (/^webkit/i.test(renderer)) {
      const dbg = gl.getExtension('WEBGL_debug_renderer_info');
      if (dbg) {
        renderer = String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL));
        vendor = String(gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL));
      }
    }
    const adapter = renderer.trim() || vendor.trim() || 'unknown WebGL renderer';
    return { ok: true, candidate: { name: 'webgl', adapter, software: SOFTWARE_RE.test(adapter) } };
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

function probeWasm(): Probe {
  if (typeof WebAssembly !== 'object') return { ok: false, reason: 'WebAssembly is not available' };
  if (!tf.findBackendFactory('wasm')) return { ok: false, reason: 'tfjs wasm backend not registered' };
  return { ok: true, candidate: { name: 'wasm', adapter: 'WebAssembly', software: false } };
}

function probeCpu(): Probe {
  return { ok: true, candidate: { name: 'cpu', adapter: 'JavaScript (tfjs cpu)', software: false } };
}

async function probe(name: BackendName): Promise<Probe> {
  switch (name) {
    case 'webgpu':
      return probeWebGpu();
    case 'webgl':
      return probeWebGl();
    case 'wasm':
      return probeWasm();
    case 'cpu':
      return probeCpu();
  }
}

/** Lower is better. */
function rank(c: Candidate): number {
  switch (c.name) {
    case 'webgpu':
      return c.software ? 4 : 0;
    case 'webgl':
      return c.software ? 3 : 1;
    case 'wasm':
      return 2;
    case 'cpu':
      return 5;
  }
}

// --- starting a backend --------------------------------------------------------

let wasmConfigured = false;

/** Must run before the first `setBackend('wasm')`. */
function configureWasm(): void {
  if (wasmConfigured) return;
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (COOP + COEP).
  const isolated = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
  if (!isolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else setThreadsCount(Math.max(1, navigator.hardwareConcurrency || 1));
  setWasmPaths({ ...WASM_FILE_MAP });
  wasmConfigured = true;
}

/**
 * A small op, read back, to prove the backend really computes. Inputs are larger than the
 * GPU backends' CPU-forwarding threshold (1000 elements) so a GPU program really runs.
 */
async function sanityCheck(): Promise<void> {
  const t = tf.tidy(() => tf.matMul(tf.ones([32, 64]), tf.fill([64, 16], 0.5)));
  try {
    const values = await t.data();
    const bad = values.findIndex((v) => v !== 32);
    if (values.length !== 32 * 16 || bad !== -1) {
      throw new Error(`sanity matMul gave ${values[bad]} at ${bad}, expected 32 everywhere`);
    }
  } finally {
    t.dispose();
  }
}

async function start(c: Candidate, timeoutMs: number): Promise<Candidate & { threads: number }> {
  if (c.name === 'wasm') configureWasm();
  await initBackend(c.name, timeoutMs);
  let adapter = c.adapter;
  let threads = 1;
  if (c.name === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const threaded = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
    adapter = `WebAssembly${simd ? ' SIMD' : ', no SIMD'}${threaded ? ', threaded build' : ''} (XNNPACK)`;
    try {
      threads = getThreadsCount();
    } catch {
      threads = 1;
    }
  }
  await withTimeout(sanityCheck(), timeoutMs, `first op on '${c.name}'`);
  return { ...c, adapter, threads };
}

/**
 * With more than one hardware candidate (a real GPU next to wasm), rank by measured speed: start
 * each, time a few steps of the lab's 8×8 GAN, fastest first. Software adapters are not timed:
 * they stay below wasm (measured 30–60× slower in PLATFORM.md).
 */
async function orderBySpeed(candidates: Candidate[], timeoutMs: number, attempts: string[]): Promise<void> {
  const timed = candidates.filter((c) => !c.software && c.name !== 'cpu');
  if (timed.length < 2) return;
  const msPerStep = new Map<Candidate, number>();
  for (const c of timed) {
    try {
      await start(c, timeoutMs);
      const r = await withTimeout(runCase('lab8', 2), timeoutMs, `timing ${c.name}`);
      msPerStep.set(c, r.msPerStep);
      attempts.push(`${c.name}: ${r.msPerStep.toFixed(0)} ms per 8×8 training step`);
    } catch (err) {
      attempts.push(`${c.name}: timing failed (${errorMessage(err)})`);
    }
  }
  const speed = (c: Candidate) => msPerStep.get(c) ?? Number.POSITIVE_INFINITY;
  const order = [...timed].sort((a, b) => speed(a) - speed(b));
  // Timed candidates take the ladder positions of the timed ones, fastest first.
  const slots = candidates.map((c, i) => (timed.includes(c) ? i : -1)).filter((i) => i >= 0);
  slots.forEach((slot, k) => (candidates[slot] = order[k]!));
}

/**
 * Start a backend: the forced one if `opts.backend` names one, else the best of the ladder.
 * Rejects with an Error whose message lists every attempt.
 */
export async function startBackend(opts: StartOptions = {}): Promise<BackendInfo> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts: string[] = [];
  const forced = opts.backend?.trim().toLowerCase() || undefined;

  let names: BackendName[];
  if (forced !== undefined) {
    if (!isBackendName(forced)) {
      throw new Error(`Unknown backend '${opts.backend}': expected one of webgpu, webgl, wasm, cpu`);
    }
    names = [forced];
  } else {
    names = ['webgpu', 'webgl', 'wasm', 'cpu'];
  }

  const candidates: Candidate[] = [];
  for (const name of names) {
    const p = await probe(name);
    if (p.ok) candidates.push(p.candidate);
    else attempts.push(`${name}: unavailable (${p.reason})`);
  }
  // Stable sort: the ladder order above breaks ties.
  candidates.sort((a, b) => rank(a) - rank(b));
  if (forced === undefined && opts.timeSteps !== false) await orderBySpeed(candidates, timeoutMs, attempts);

  for (const c of candidates) {
    const t0 = performance.now();
    try {
      const started = await start(c, timeoutMs);
      const ms = Math.round(performance.now() - t0);
      attempts.push(`${c.name}: started in ${ms} ms${c.software ? ' (software)' : ''}`);
      for (const rest of candidates.slice(candidates.indexOf(c) + 1)) {
        attempts.push(`${rest.name}: not tried, ranked lower (${rest.software ? 'software: ' : ''}${rest.adapter})`);
      }
      return {
        backend: started.name,
        adapter: started.adapter,
        software: started.software,
        threads: started.threads,
        attempts,
      };
    } catch (err) {
      attempts.push(`${c.name}: failed (${errorMessage(err)})`);
    }
  }

  if (forced !== undefined) {
    throw new Error(`Backend '${forced}' could not start. ${attempts.join('; ')}`);
  }
  throw new Error(`No tfjs backend could start. ${attempts.join('; ')}`);
}
