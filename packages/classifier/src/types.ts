export interface EmbeddedClassifierOptions {
  /** Below this confidence the answer is a null type. Defaults to the calibrated threshold. */
  nullThreshold?: number;
  /** How many configurations' example models a worker keeps (default 8). */
  exampleModelCacheSize?: number;
}
