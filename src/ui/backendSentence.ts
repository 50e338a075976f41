/**
 * Where the networks train, said once and plainly (issue 13): the engine's reason string
 * ("WASM (SIMD, single-threaded (page is not cross-origin isolated))") stays out of the page.
 */
import type { BackendInfo, BackendName } from '../../workers/contracts';

/** Each backend as the override menu names it. */
export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'Graphics card (WebGPU)',
  wasm: 'Processor (WebAssembly)',
  webgl: 'Graphics card (WebGL)',
  cpu: 'Processor (plain JavaScript)',
};

const WHERE: Record<BackendName, string> = {
  webgpu: 'this computer’s graphics card (WebGPU)',
  wasm: 'this computer’s processor (WebAssembly)',
  webgl: 'the graphics card through WebGL',
  cpu: 'this computer’s processor in plain JavaScript, the slowest way',
};

/**
 * One sentence for the Train panel: where training will run and why, from the probe's answer and
 * the backend the user asked for (null: automatic).
 */
export function backendSentence(info: Pick<BackendInfo, 'backend' | 'available'>, requested: BackendName | null): string {
  const where = `Will train on ${WHERE[info.backend]}`;
  if (requested !== null) {
    return requested === info.backend ? `${where}, as you chose.` : `${BACKEND_LABELS[requested]} is not available in this browser, so training will run on ${WHERE[info.backend]}.`;
  }
  switch (info.backend) {
    case 'webgpu':
      return `${where}.`;
    case 'wasm':
      // The picker passes over a GPU only when it is a software one (an emulation on the processor).
      return info.available.includes('webgpu')
        ? `${where}: the only graphics card this browser offers is emulated in software, which is slower.`
        : `${where}; no usable graphics card (GPU) was found.`;
    case 'webgl':
      return `${where}, because WebAssembly is not available here.`;
    case 'cpu':
      return `${where}: neither WebAssembly nor a usable graphics card is available here.`;
  }
}
