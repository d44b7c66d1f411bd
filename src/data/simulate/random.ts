/**
 * The simulated ladder's own seeded generator. `src/data` may not import `src/estimate`, and the
 * ladder needs nothing more than reproducible normals, so it carries this small one:
 * Tommy Ettinger's Mulberry32 (a 32-bit counter passed through a multiply-xorshift finaliser) for
 * uniforms, and the Box–Muller transform for standard normals. Same seed → same table, on every
 * platform, because only 32-bit integer arithmetic and IEEE doubles are involved.
 */
export interface Gaussian {
  /** A uniform draw in [0, 1). */
  uniform(): number;
  /** A standard normal draw (mean 0, variance 1). */
  normal(): number;
}

/**
 * A seeded generator of uniforms and standard normals.
 * @example const g = seededGaussian(0); g.normal() // → the same number on every run
 */
export function seededGaussian(seed: number): Gaussian {
  let state = (Math.trunc(seed) ^ 0x6d2b79f5) >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // Box–Muller: two uniforms → two independent normals; 1 − u keeps the log's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return { uniform, normal };
}
