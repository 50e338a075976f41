/**
 * Zero-inflated lognormal (ZILN) head and loss (Wang, Liu & Miao 2019, "A Deep Probabilistic Model
 * for Customer Lifetime Value Prediction"). The network emits three numbers per customer:
 *   logit of p = P(spend > 0), mu and sigma of the lognormal spend given a purchase.
 * The loss is the binary cross-entropy of p plus the lognormal negative log-likelihood of the
 * positive spends; the predicted value is the mean of that mixture, p·exp(mu + sigma²/2), and
 * 1 − p doubles as a churn score.
 */
import * as tf from '@tensorflow/tfjs';

export const ZILN_OUTPUTS = 3;

/** The reference implementation's floor, √(Keras epsilon), keeps log(sigma) finite. */
const SIGMA_MIN = Math.sqrt(1e-7);
/**
 * Spend of one customer rarely spreads wider than this on the log scale; the cap bounds the mean's
 * factor exp(sigma²/2) at 90 so an untrained or extrapolating head cannot blow predictions up.
 */
const SIGMA_MAX = 3;
/** exp(30) ≈ 1e13: far above any customer's spend in any currency, far below float32 overflow. */
const LOG_MEAN_MAX = 30;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** sigma from its raw output: softplus, clipped to [SIGMA_MIN, SIGMA_MAX]. */
function sigmaOf(raw: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.softplus(raw), SIGMA_MIN, SIGMA_MAX);
}

/** Columns of the rows × 3 head output, each rows × 1. */
function heads(logits: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  return tf.split(logits, ZILN_OUTPUTS, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
}

/** Mean ZILN loss over a batch: targets rows × 1 (spend ≥ 0), head outputs rows × 3. */
export function zilnLoss(yTrue: tf.Tensor2D, logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [pLogit, mu, sigmaRaw] = heads(logits);
    const positive = tf.cast(tf.greater(yTrue, 0), 'float32');
    // Numerically stable binary cross-entropy with logits: max(x,0) − x·z + log(1 + e^−|x|).
    const classification = tf.mean(tf.add(tf.sub(tf.relu(pLogit), tf.mul(pLogit, positive)), tf.log1p(tf.exp(tf.neg(tf.abs(pLogit))))));
    const sigma = sigmaOf(sigmaRaw);
    // Zero targets get a placeholder of 1 so log() stays finite; their term is masked out below.
    const logY = tf.log(tf.add(tf.mul(positive, yTrue), tf.sub(1, positive)));
    const z = tf.div(tf.sub(logY, mu), sigma);
    const negLogLik = tf.add(tf.add(tf.add(logY, tf.log(sigma)), HALF_LOG_2PI), tf.mul(tf.square(z), 0.5));
    return tf.add(classification, tf.mean(tf.mul(positive, negLogLik))) as tf.Scalar;
  });
}

/** Predicted mean spend, rows × 1 → rows, differentiable (integrated gradients use it). */
export function zilnMean(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [pLogit, mu, sigmaRaw] = heads(logits);
    const sigma = sigmaOf(sigmaRaw);
    const logMean = tf.minimum(tf.add(mu, tf.mul(tf.square(sigma), 0.5)), LOG_MEAN_MAX);
    return tf.mul(tf.sigmoid(pLogit), tf.exp(logMean)).reshape([-1]) as tf.Tensor1D;
  });
}

export interface ZilnPrediction {
  /** Expected spend p·exp(mu + sigma²/2). */
  mean: Float32Array;
  /** P(spend > 0 in the horizon); 1 − p is the churn score. */
  pReturn: Float32Array;
}

/** Each customer's predictive distribution: P(spend > 0), and μ, σ of the lognormal spend given a purchase. */
export interface ZilnParameters {
  pReturn: Float64Array;
  mu: Float64Array;
  sigma: Float64Array;
}

/** The distribution's parameters from raw head outputs (n × 3, row-major), as the loss reads them. */
export function zilnParameters(raw: Float32Array): ZilnParameters {
  const n = raw.length / ZILN_OUTPUTS;
  const out = { pReturn: new Float64Array(n), mu: new Float64Array(n), sigma: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const s = raw[3 * i + 2];
    const softplus = Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
    out.sigma[i] = Math.min(Math.max(softplus, SIGMA_MIN), SIGMA_MAX);
    out.pReturn[i] = 1 / (1 + Math.exp(-raw[3 * i]));
    out.mu[i] = raw[3 * i + 1];
  }
  return out;
}

/** The same quantities as zilnMean, from raw head outputs (n × 3, row-major) in plain JavaScript. */
export function zilnPredictions(raw: Float32Array): ZilnPrediction {
  const { pReturn: p, mu, sigma } = zilnParameters(raw);
  const n = p.length;
  const mean = new Float32Array(n);
  const pReturn = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    pReturn[i] = p[i];
    mean[i] = p[i] * Math.exp(Math.min(mu[i] + 0.5 * sigma[i] * sigma[i], LOG_MEAN_MAX));
  }
  return { mean, pReturn };
}

/**
 * Output-layer bias that makes an untrained head predict the training data's marginal
 * distribution (share of buyers, mean and spread of log spend). Starting there, instead of at a
 * lognormal around exp(0) = 1, spares the first epochs from merely learning the scale of spend.
 */
export function zilnInitialBias(y: ArrayLike<number>): [number, number, number] {
  let positives = 0;
  let sumLog = 0;
  let sumLog2 = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 0) {
      const l = Math.log(y[i]);
      positives++;
      sumLog += l;
      sumLog2 += l * l;
    }
  }
  // Clamp the share away from 0 and 1 so the logit stays finite on degenerate data.
  const p = Math.min(Math.max(positives / Math.max(y.length, 1), 1e-3), 1 - 1e-3);
  const mu = positives > 0 ? sumLog / positives : 0;
  const variance = positives > 1 ? Math.max(sumLog2 / positives - mu * mu, 0) : 1;
  const sigma = Math.min(Math.max(Math.sqrt(variance), 0.1), SIGMA_MAX);
  // Inverse softplus: log(e^sigma − 1).
  return [Math.log(p / (1 - p)), mu, Math.log(Math.expm1(sigma))];
}
