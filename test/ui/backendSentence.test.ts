/**
 * The Train panel's backend sentence: one plain sentence per case, never the engine's reason
 * string (its "WASM (SIMD, single-threaded (page is not cross-origin isolated))" words).
 */
import { describe, expect, it } from 'vitest';
import { BACKEND_LABELS, backendSentence } from '../../src/ui/backendSentence';
import { chooseBackend } from '../../src/core/nets/backendChoice';

const ENGINE_WORDS = /SIMD|single-threaded|cross-origin|isolated|WASM \(|requested|initialised/;

describe('backendSentence', () => {
  it('says the processor and that no GPU was found when the browser offers none', () => {
    const probe = { wasm: { available: true, simd: true, threads: false }, webgl: { available: true } };
    const choice = chooseBackend(probe);
    const text = backendSentence({ backend: choice.backend, available: ['wasm', 'webgl', 'cpu'] }, null);
    expect(choice.reason).toMatch(ENGINE_WORDS); // what the page used to show
    expect(text).toBe('Will train on this computer’s processor (WebAssembly); no usable graphics card (GPU) was found.');
  });

  it('says why a software GPU was passed over', () => {
    const text = backendSentence({ backend: 'wasm', available: ['webgpu', 'wasm', 'webgl', 'cpu'] }, null);
    expect(text).toContain('processor (WebAssembly)');
    expect(text).toContain('emulated in software');
  });

  it('names a real graphics card, a chosen backend, and one that was chosen but is missing', () => {
    expect(backendSentence({ backend: 'webgpu', available: ['webgpu', 'wasm', 'cpu'] }, null)).toBe('Will train on this computer’s graphics card (WebGPU).');
    expect(backendSentence({ backend: 'webgpu', available: ['webgpu', 'wasm', 'cpu'] }, 'webgpu')).toMatch(/graphics card \(WebGPU\), as you chose\.$/);
    expect(backendSentence({ backend: 'wasm', available: ['wasm', 'cpu'] }, 'webgpu')).toBe('Graphics card (WebGPU) is not available in this browser, so training will run on this computer’s processor (WebAssembly).');
  });

  it('never uses the engine’s words, whatever the case', () => {
    for (const backend of ['webgpu', 'wasm', 'webgl', 'cpu'] as const) {
      for (const requested of [null, 'webgpu', 'wasm', 'webgl', 'cpu'] as const) {
        for (const available of [['cpu'], ['webgpu', 'wasm', 'webgl', 'cpu']] as const) {
          const text = backendSentence({ backend, available: [...available] }, requested);
          expect(text).not.toMatch(ENGINE_WORDS);
          expect(text.split('. ').length).toBe(1);
        }
      }
    }
    expect(Object.values(BACKEND_LABELS).every((l) => !/^(webgpu|wasm|webgl|cpu)$/.test(l))).toBe(true);
  });
});
