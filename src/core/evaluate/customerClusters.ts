import { chooseK } from '../eval/kmeans';
import { trainAutoencoder } from '../nets/autoencoder';

export interface CustomerClusters {
  /** Bottleneck width of the autoencoder. */
  latentDim: number;
  /** Row-major n × latentDim. */
  latent: Float32Array;
  k: number;
  labels: Int32Array;
  /** Reconstruction error per customer: high means unlike the others (anomaly). */
  anomaly: Float32Array;
  silhouette: { k: number; silhouette: number }[];
}

/**
 * The survey paper's segmentation: an autoencoder compresses the features, k-means (k chosen by
 * silhouette) groups customers in the latent space, and the reconstruction error flags anomalies.
 */
export async function clusterCustomers(X: Float32Array, d: number, options: { seed: number; signal?: AbortSignal; maxEpochs?: number }): Promise<CustomerClusters> {
  const autoencoder = await trainAutoencoder(X, d, { seed: options.seed, signal: options.signal, maxEpochs: options.maxEpochs });
  try {
    const latent = autoencoder.latent(X);
    const anomaly = autoencoder.reconstructionError(X);
    const latentDim = autoencoder.bottleneck;
    const chosen = chooseK(latent, latentDim, { seed: options.seed });
    return {
      latentDim,
      latent,
      k: chosen.k,
      labels: chosen.result.labels,
      anomaly,
      silhouette: chosen.scores.map(({ k, silhouette }) => ({ k, silhouette })),
    };
  } finally {
    autoencoder.dispose();
  }
}
