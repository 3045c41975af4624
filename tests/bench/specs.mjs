// The runs the benchmarks, the profiler and the soak share, so their figures are of one run.

/** The reference run: a 2-16-1 ReLU MLP on 2,560 half-moons, batch 256, MSE, Adam 0.01,
 * 30 epochs of 10 steps (300 steps). */
export const reference = {
  dataset: { generator: 'moons', seed: 1, size: 2560, noise: 0.1, validation: 0 },
  model: { hidden: [{ width: 16, activation: 'relu' }], init: 'he' },
  loss: { kind: 'mse' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batch_size: 256,
  epochs: 30,
};

/** read-the-curve's "normal" run as a demo trains it: 40 epochs of 10 steps with validation. */
export const demoRun = {
  kind: 'train',
  dataset: { generator: 'moons', seed: 3, size: 400, noise: 0.2, validation: 0.2 },
  model: { hidden: [{ width: 16, activation: 'relu' }], init: 'he' },
  loss: { kind: 'cross-entropy' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batch_size: 32,
  epochs: 40,
};
