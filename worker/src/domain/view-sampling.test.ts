import { describe, expect, it } from 'vitest';
import { largestSampleRate, rankingAccuracy, sampleView, samplingRelativeError } from './view-sampling.js';

/** Deterministic uniform numbers in [0, 1) (a linear congruential generator), so the test never flakes. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe('sampleView', () => {
  it('sends every view with weight 1 when the site does not sample', () => {
    expect(sampleView(1, () => 0.99)).toBe(1);
  });

  it('keeps totals unbiased: 1 in 10 views sent, each worth 10', () => {
    const random = seededRandom(42);
    const weights = Array.from({ length: 100_000 }, () => sampleView(10, random));
    const sent = weights.filter((weight) => weight > 0).length;
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    expect(new Set(weights)).toEqual(new Set([0, 10]));
    expect(sent).toBeGreaterThan(9_500);
    expect(sent).toBeLessThan(10_500);
    expect(Math.abs(total - 100_000) / 100_000).toBeLessThan(0.05);
  });
});

describe('samplingRelativeError', () => {
  it('shows the long-tail problem: at 1 in 30, a post read 300 times keeps ~10 events and is off by ~31%', () => {
    expect(300 / 30).toBe(10);
    expect(samplingRelativeError(300, 30)).toBeCloseTo(0.311, 3);
  });

  it('is small for a post read often, and zero without sampling', () => {
    expect(samplingRelativeError(30_000, 30)).toBeCloseTo(0.031, 3);
    expect(samplingRelativeError(300, 1)).toBe(0);
  });

  it('matches what sampling actually does', () => {
    const random = seededRandom(7);
    const estimates = Array.from({ length: 2_000 }, () =>
      Array.from({ length: 300 }, () => sampleView(30, random)).reduce((sum, weight) => sum + weight, 0),
    );
    const mean = estimates.reduce((sum, x) => sum + x, 0) / estimates.length;
    const spread = Math.sqrt(estimates.reduce((sum, x) => sum + (x - mean) ** 2, 0) / estimates.length) / mean;
    expect(Math.abs(mean - 300) / 300).toBeLessThan(0.03);
    expect(spread).toBeGreaterThan(0.27);
    expect(spread).toBeLessThan(0.35);
  });
});

describe('largestSampleRate', () => {
  it('says how far a site can sample and keep a page within 10%', () => {
    expect(largestSampleRate(300, 0.1)).toBe(4);
    expect(largestSampleRate(3_000, 0.1)).toBe(31);
    expect(largestSampleRate(10, 0.1)).toBe(1);
  });
});

describe('rankingAccuracy', () => {
  it('reports the overlap of the top k and the largest relative error among the true top k', () => {
    const truth = { a: 100, b: 80, c: 60, d: 10 };
    const reported = { a: 90, b: 80, d: 70 };
    expect(rankingAccuracy(truth, reported, 3)).toEqual({ overlap: 2, largestRelativeError: 1 });
    expect(rankingAccuracy(truth, truth, 3)).toEqual({ overlap: 3, largestRelativeError: 0 });
  });
});
