/** Training defaults shared by the nets' trainer, the CLI and the app's settings (no TensorFlow.js here: the page imports it). */

/** The cap on epochs when none is given (early stopping usually ends training sooner): the CLI's and the app's default alike. */
export const DEFAULT_MAX_EPOCHS = 50;
