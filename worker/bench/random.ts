/** Seeded randomness for the cost benchmark: the same seed replays the same day, so runs can be compared. */

export type Random = () => number;

/** mulberry32: small, fast, and good enough to draw traffic (not for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index drawn with probability proportional to `weights[index]`. */
export function weightedPicker(weights: readonly number[]): (random: Random) => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) cumulative.push((sum += weight));
  return (random) => {
    const target = random() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}

/** Zipf over ranks 1..n with exponent s: index 0 is the most popular, drawn ∝ 1 / (rank)^s. */
export function zipfPicker(n: number, s: number): (random: Random) => number {
  return weightedPicker(Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s)));
}

/** An exponentially distributed wait with the given mean. */
export function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}
