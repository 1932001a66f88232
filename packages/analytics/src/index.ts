export * from './anomaly-detector.js';
export * from './cost-model.js';
export * from './health-score.js';
export * from './quantile-sketch.js';
export * from './slo.js';
