/**
 * Which tfjs backend trains the networks. For these small MLPs:
 * - WebGPU on a real GPU is fastest;
 * - WebGPU on a software adapter (SwiftShader, llvmpipe, WARP: what headless browsers and GPU-less
 *   machines expose) emulates the GPU on the CPU and loses badly to WASM;
 * - WASM (XNNPACK, SIMD, threads when the page is cross-origin isolated) is the dependable default;
 * - WebGL has no compute shaders and pays a texture round trip per kernel, so it only beats the
 *   plain-JavaScript CPU backend.
 * The choice is a pure function of a probe so it can be tested without a browser.
 */
import * as tf from '@tensorflow/tfjs';
import { installWasmSliceKernels } from './wasmSliceKernels';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

export interface BackendProbe {
  webgpu?: {
    available: boolean;
    isFallbackAdapter?: boolean;
    vendor?: string;
    architecture?: string;
    description?: string;
  };
  wasm: { available: boolean; simd: boolean; threads: boolean };
  webgl: { available: boolean };
  /** A backend the user asked for; honoured when available. */
  override?: string;
}

export interface BackendChoice {
  backend: BackendName;
  reason: string;
}

/** Why a WebGPU adapter is a CPU emulation, or null when it looks like real hardware. */
function softwareAdapterReason(gpu: NonNullable<BackendProbe['webgpu']>): string | null {
  if (gpu.isFallbackAdapter) return 'the browser reports a fallback (software) adapter';
  const vendor = (gpu.vendor ?? '').toLowerCase();
  const architecture = (gpu.architecture ?? '').toLowerCase();
  const description = (gpu.description ?? '').toLowerCase();
  if (architecture.includes('swiftshader') || vendor.includes('swiftshader')) return 'the adapter is SwiftShader';
  for (const marker of ['swiftshader', 'llvmpipe', 'software', 'microsoft basic render driver']) {
    if (description.includes(marker)) return `the adapter description mentions "${marker}"`;
  }
  return null;
}

function isAvailable(probe: BackendProbe, name: BackendName): boolean {
  switch (name) {
    case 'webgpu':
      return probe.webgpu?.available === true;
    case 'wasm':
      return probe.wasm.available;
    case 'webgl':
      return probe.webgl.available;
    case 'cpu':
      return true;
  }
}

function wasmDetails(wasm: BackendProbe['wasm']): string {
  const simd = wasm.simd ? 'SIMD' : 'no SIMD';
  const threads = wasm.threads ? 'multi-threaded' : 'single-threaded (page is not cross-origin isolated)';
  return `${simd}, ${threads}`;
}

export function chooseBackend(probe: BackendProbe): BackendChoice {
  let overrideNote = '';
  if (probe.override) {
    const wanted = probe.override.toLowerCase() as BackendName;
    if (BACKEND_NAMES.includes(wanted) && isAvailable(probe, wanted)) {
      return { backend: wanted, reason: `${wanted} was requested and is available` };
    }
    overrideNote = BACKEND_NAMES.includes(wanted)
      ? `${wanted} was requested but is not available here; `
      : `"${probe.override}" is not a known backend (${BACKEND_NAMES.join(', ')}); `;
  }
  let gpuNote = '';
  if (probe.webgpu?.available) {
    const software = softwareAdapterReason(probe.webgpu);
    if (software === null) {
      const name = [probe.webgpu.vendor, probe.webgpu.architecture].filter(Boolean).join(' ') || 'unnamed';
      return { backend: 'webgpu', reason: `${overrideNote}WebGPU on a hardware adapter (${name})` };
    }
    gpuNote = `WebGPU skipped because ${software}, which is slower than WASM; `;
  }
  if (probe.wasm.available) {
    return { backend: 'wasm', reason: `${overrideNote}${gpuNote}WASM (${wasmDetails(probe.wasm)})` };
  }
  if (probe.webgl.available) {
    return { backend: 'webgl', reason: `${overrideNote}${gpuNote}WebGL, because WebAssembly is unavailable` };
  }
  return { backend: 'cpu', reason: `${overrideNote}${gpuNote}plain JavaScript CPU backend: no WebGPU, WASM or WebGL` };
}

/** The part of WebGPU's API the probe touches (the DOM typings do not include WebGPU). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: GpuAdapterInfoLike;
  /** Before `info` existed (Chrome < 127), adapter details came from this method. */
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** Smallest module using a SIMD instruction (i8x16.popcnt on v128.const 0), as wasm-feature-detect. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

function hasWebGl(): boolean {
  if (typeof OffscreenCanvas === 'undefined') return false;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    return canvas.getContext('webgl2') !== null || canvas.getContext('webgl') !== null;
  } catch {
    return false;
  }
}

/** Probes what this browser, worker or Node process offers. Never throws. */
export async function probeBackends(override?: string): Promise<BackendProbe> {
  const wasmAvailable = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  const probe: BackendProbe = {
    wasm: {
      available: wasmAvailable,
      simd: wasmAvailable && WebAssembly.validate(SIMD_PROBE),
      threads: typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true,
    },
    webgl: { available: hasWebGl() },
    override,
  };
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu) {
    try {
      const adapter = await gpu.requestAdapter();
      const info = adapter ? (adapter.info ?? (await adapter.requestAdapterInfo?.())) : undefined;
      probe.webgpu = adapter
        ? {
            available: true,
            isFallbackAdapter: adapter.isFallbackAdapter ?? info?.isFallbackAdapter,
            vendor: info?.vendor,
            architecture: info?.architecture,
            description: info?.description,
          }
        : { available: false };
    } catch {
      probe.webgpu = { available: false };
    }
  }
  return probe;
}

export interface ActivateOptions {
  /**
   * Where the tfjs-backend-wasm .wasm binaries are served: a folder prefix ending in '/' or a
   * map from file name to URL. In Node the package's own dist folder is found without it.
   */
  wasmPaths?: string | Record<string, string>;
}

export interface ActivatedBackend {
  backend: BackendName;
  /** What happened, including every backend that failed on the way. */
  reason: string;
}

/** Registers (by importing) and initialises one backend; false when it cannot run here. */
async function tryBackend(name: BackendName, options: ActivateOptions): Promise<boolean> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // setWasmPaths must precede the backend's initialisation and throws after a failed one.
    if (options.wasmPaths && !tf.engine().registry.wasm) wasm.setWasmPaths(options.wasmPaths);
  }
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  const ok = await tf.setBackend(name);
  if (ok) await tf.ready();
  if (ok && name === 'wasm') installWasmSliceKernels();
  return ok && tf.getBackend() === name;
}

/**
 * Makes `name` the active tfjs backend, falling back along webgpu → wasm → webgl → cpu when it
 * fails to initialise. Returns the backend in use and why.
 */
export async function activateBackend(name: BackendName, options: ActivateOptions = {}): Promise<ActivatedBackend> {
  const failures: string[] = [];
  for (const candidate of BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(name))) {
    try {
      if (await tryBackend(candidate, options)) {
        const note = failures.length > 0 ? ` after ${failures.join('; ')}` : '';
        return { backend: candidate, reason: `${candidate} initialised${note}` };
      }
      failures.push(`${candidate} did not initialise`);
    } catch (error) {
      failures.push(`${candidate} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // The CPU backend ships with tfjs and cannot fail; reaching here means tfjs itself is broken.
  throw new Error(`no tfjs backend could be initialised (${failures.join('; ')})`);
}
