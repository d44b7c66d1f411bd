/**
 * Seeded randomness, the project's one source: every random choice takes a seed, so the same inputs
 * and seed give the same bytes on every platform (only 32-bit integer arithmetic and IEEE doubles).
 */

/**
 * A seeded pseudo-random generator (sfc32, Doty-Humphrey's Small Fast Counting generator) returning
 * uniforms in [0, 1). `stream` gives independent sequences for the same seed, so bootstrap resample r
 * draws the same runs whichever worker computes it.
 */
export function rng(seed: number, stream = 0): () => number {
  let a = fmix32(seed ^ 0x9e3779b9);
  let b = fmix32(stream ^ 0x85ebca6b);
  let c = fmix32((seed + stream) ^ 0xc2b2ae35);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** MurmurHash3's 32-bit finaliser: spreads nearby seeds far apart. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Standard normal draws (mean 0, variance 1) from a uniform source by the Box–Muller transform:
 * each pair of uniforms gives two independent normals, the second kept for the next call.
 */
export function normals(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // 1 − u keeps the log's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** Uniform and standard normal draws from one seeded stream. */
export interface Gaussian {
  /** A uniform draw in [0, 1). */
  uniform(): number;
  /** A standard normal draw (mean 0, variance 1). */
  normal(): number;
}

/**
 * The simulated ladder's generator: Tommy Ettinger's Mulberry32 (a 32-bit counter passed through a
 * multiply-xorshift finaliser) for uniforms, {@link normals} for normals. Kept beside {@link rng}
 * rather than replaced by it so the built-in ladder stays the same table it has always been.
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
  return { uniform, normal: normals(uniform) };
}
