import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activateBackend, chooseBackend, probeBackends, type BackendProbe } from '../../src/core/nets/backendChoice';

const wasmOnly = { available: true, simd: true, threads: false };
const noWasm = { available: false, simd: false, threads: false };

function probe(overrides: Partial<BackendProbe>): BackendProbe {
  return { wasm: wasmOnly, webgl: { available: true }, ...overrides };
}

describe('chooseBackend', () => {
  it('skips WebGPU on SwiftShader and picks WASM', () => {
    const choice = chooseBackend(
      probe({ webgpu: { available: true, vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' } }),
    );
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toMatch(/SwiftShader/);
  });

  it.each([
    { isFallbackAdapter: true, vendor: 'nvidia' },
    { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' },
    { vendor: 'microsoft', description: 'Microsoft Basic Render Driver' },
    { vendor: 'acme', description: 'Software Rasterizer' },
  ])('treats %o as a software adapter', (adapter) => {
    expect(chooseBackend(probe({ webgpu: { available: true, ...adapter } })).backend).toBe('wasm');
  });

  it('uses WebGPU on a real NVIDIA adapter', () => {
    const choice = chooseBackend(
      probe({ webgpu: { available: true, isFallbackAdapter: false, vendor: 'nvidia', architecture: 'ampere', description: '' } }),
    );
    expect(choice).toEqual({ backend: 'webgpu', reason: expect.stringContaining('nvidia ampere') });
  });

  it('reports SIMD and threading for WASM', () => {
    expect(chooseBackend(probe({ wasm: { available: true, simd: true, threads: true } })).reason).toMatch(/SIMD, multi-threaded/);
    expect(chooseBackend(probe({})).reason).toMatch(/not cross-origin isolated/);
  });

  it('honours an available override, even a slower one', () => {
    const gpu = { available: true, vendor: 'nvidia', architecture: 'ampere' };
    expect(chooseBackend(probe({ webgpu: gpu, override: 'cpu' }))).toEqual({ backend: 'cpu', reason: expect.stringMatching(/requested/) });
    expect(chooseBackend(probe({ webgpu: gpu, override: 'WebGL' })).backend).toBe('webgl');
  });

  it('ignores an unavailable or unknown override and says so', () => {
    const unavailable = chooseBackend(probe({ override: 'webgpu' }));
    expect(unavailable.backend).toBe('wasm');
    expect(unavailable.reason).toMatch(/webgpu was requested but is not available/);
    expect(chooseBackend(probe({ override: 'tpu' })).reason).toMatch(/"tpu" is not a known backend/);
  });

  it('falls back to WebGL without WebAssembly, and to the CPU with nothing at all', () => {
    expect(chooseBackend(probe({ wasm: noWasm })).backend).toBe('webgl');
    const cpu = chooseBackend({ wasm: noWasm, webgl: { available: false }, webgpu: { available: false } });
    expect(cpu.backend).toBe('cpu');
    expect(cpu.reason).toMatch(/no WebGPU, WASM or WebGL/);
  });
});

describe('probeBackends with a WebGPU adapter', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const withGpu = (requestAdapter: () => Promise<unknown>) => vi.stubGlobal('navigator', { gpu: { requestAdapter } });

  it('reads adapter.info and recognises SwiftShader', async () => {
    withGpu(async () => ({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } }));
    const found = await probeBackends('');
    expect(found.webgpu).toEqual({ available: true, isFallbackAdapter: undefined, vendor: 'google', architecture: 'swiftshader', description: '' });
    expect(chooseBackend(found).backend).toBe('wasm');
  });

  it('falls back to requestAdapterInfo() on older browsers', async () => {
    withGpu(async () => ({ isFallbackAdapter: false, requestAdapterInfo: async () => ({ vendor: 'nvidia', architecture: 'ada' }) }));
    const found = await probeBackends();
    expect(found.webgpu).toMatchObject({ available: true, vendor: 'nvidia', architecture: 'ada' });
    expect(chooseBackend(found).backend).toBe('webgpu');
  });

  it('reports WebGPU unavailable when no adapter is granted or the request fails', async () => {
    withGpu(async () => null);
    expect((await probeBackends()).webgpu).toEqual({ available: false });
    withGpu(async () => {
      throw new Error('GPU process crashed');
    });
    expect((await probeBackends()).webgpu).toEqual({ available: false });
  });
});

describe('probeBackends and activateBackend in Node', () => {
  it('finds SIMD WebAssembly but no GPU', async () => {
    const found = await probeBackends();
    expect(found.wasm).toEqual({ available: true, simd: true, threads: false });
    expect(found.webgpu).toBeUndefined();
    expect(found.webgl.available).toBe(false);
    expect(chooseBackend(found).backend).toBe('wasm');
  });

  it('falls back from WebGPU to WASM and computes with it', async () => {
    const activated = await activateBackend('webgpu');
    expect(activated.backend).toBe('wasm');
    expect(activated.reason).toMatch(/webgpu (failed|did not initialise)/);
    expect(tf.getBackend()).toBe('wasm');
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await product.data())).toEqual([11]);
  });

  it('switches to the CPU backend when asked', async () => {
    expect(await activateBackend('cpu')).toEqual({ backend: 'cpu', reason: 'cpu initialised' });
    expect(tf.getBackend()).toBe('cpu');
  });
});
