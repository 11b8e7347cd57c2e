// A small seeded PRNG so every simulator run is reproducible for a seed (no Math.random).

/**
 * mulberry32: a 32-bit state generator, good enough for fault injection and jitter.
 * @param {number} seed any number; only its low 32 bits matter
 * @returns {() => number} uniform draws in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
