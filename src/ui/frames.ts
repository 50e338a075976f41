/**
 * Spreading DOM work over frames, so the main thread never runs one long task: big parts of the
 * page mount one per frame, and charts draw one per frame, those on screen first. Between two
 * steps the browser lays out and paints what the previous step added, in its own task.
 */

/** Longest wait for a frame: a hidden tab paints none, and the work must still go on. */
const FRAME_FALLBACK_MS = 100;

/** Resolves once the browser has rendered a frame (or after a short while where none comes). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      resolve();
    };
    const fallback = setTimeout(finish, FRAME_FALLBACK_MS);
    // rAF runs just before the frame is rendered; the timeout after it runs once that is done.
    requestAnimationFrame(() => setTimeout(finish, 0));
  });
}

interface DrawJob {
  draw: () => void;
  onScreen: () => boolean;
}

const queue: DrawJob[] = [];
let pumping = false;

async function pump(): Promise<void> {
  pumping = true;
  try {
    while (queue.length > 0) {
      await nextFrame();
      if (queue.length === 0) break;
      const visible = queue.findIndex((job) => job.onScreen());
      const [job] = queue.splice(visible >= 0 ? visible : 0, 1);
      try {
        job.draw();
      } catch (e) {
        // One chart failing to draw must not stop the others; the error still reaches the console.
        setTimeout(() => {
          throw e;
        });
      }
    }
  } finally {
    pumping = false;
  }
}

/**
 * Queues a chart drawing: one drawing per frame, charts on screen before those further down.
 * Returns a function that takes the drawing off the queue if it has not run yet.
 */
export function scheduleDraw(draw: () => void, onScreen: () => boolean): () => void {
  const job: DrawJob = { draw, onScreen };
  queue.push(job);
  if (!pumping) void pump();
  return () => {
    const at = queue.indexOf(job);
    if (at >= 0) queue.splice(at, 1);
  };
}
