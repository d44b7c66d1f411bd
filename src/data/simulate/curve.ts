/**
 * The shape of one simulated training run's loss curve: linear warm-up, then cosine decay of the
 * learning rate, approaching the scaling law's value at each checkpoint's token count.
 */
export interface CurveShape {
  /** Fraction of training spent warming up the learning rate; defaults to 0.01. */
  warmup: number;
  /** Final learning rate as a fraction of the peak (cosine floor); defaults to 0.1. */
  minLrRatio: number;
  /**
   * Excess loss at peak learning rate, as a fraction of the reducible loss L*(N, D) − E; defaults to
   * 0.06. A run at high learning rate sits above the loss it reaches once annealed; a few percent of
   * the reducible loss (a few hundredths of a nat at loss ≈ 3) is the order of the gap between
   * constant-LR and cooled-down runs reported by Hägele et al. 2024 (arXiv 2405.18392).
   */
  anneal: number;
}

export const DEFAULT_CURVE: CurveShape = { warmup: 0.01, minLrRatio: 0.1, anneal: 0.06 };

/** Learning rate at training progress p ∈ [0, 1] as a fraction of the peak: warm-up, then cosine. */
export function lrFactor(p: number, s: CurveShape = DEFAULT_CURVE): number {
  if (p < s.warmup) return p / s.warmup;
  const q = (p - s.warmup) / (1 - s.warmup);
  return s.minLrRatio + (1 - s.minLrRatio) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, q)));
}

/**
 * Noise-free loss of a run of `params` parameters and `totalTokens` tokens at the checkpoint that
 * has seen `tokens`:
 *
 *   L = L*(N, D_eff) + anneal · (lr(p) − lr_min)/(1 − lr_min) · (L*(N, D_eff) − E)
 *
 * with p = D/D_T, L* the law, and D_eff = D − min(D, D_w)/2: tokens seen during the linear warm-up
 * (D_w = warmup·D_T) count half, since the learning rate averaged half its peak there. At the end of
 * training lr = lr_min, so the run lands on the law's value (within 0.5·warmup of its tokens).
 */
export function checkpointLoss(
  law: (N: number, D: number) => number,
  E: number,
  params: number,
  tokens: number,
  totalTokens: number,
  s: CurveShape = DEFAULT_CURVE,
): number {
  const warm = s.warmup * totalTokens;
  const effective = tokens - Math.min(tokens, warm) / 2;
  const settled = law(params, effective);
  const hot = (lrFactor(tokens / totalTokens, s) - s.minLrRatio) / (1 - s.minLrRatio);
  return settled + s.anneal * Math.max(0, hot) * (settled - E);
}
