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
