/**
 * Isolates as DESIGN.md rule 6 asks them to be modelled: each location runs one or more Worker instances
 * (`createWorker`), each with its own view buffers. An isolate idle longer than `idleEvictionMs` is gone by the
 * next request, any isolate is recycled at random (exponential lifetime), and a deploy replaces them all.
 * Whatever an isolate had buffered dies with it: the benchmark counts those views as lost.
 */
import type { ViewBufferOptions } from '../src/domain/view-buffer.js';
import { UsageTally } from '../src/domain/usage.js';
import { createWorker } from '../src/index.js';
import { ViewCounter } from '../src/storage/view-counter.js';
import { exponential, type Random } from './random.js';

export interface IsolateModel {
  /** Isolates serving each location at once; a location's requests are spread over them at random. */
  isolatesPerLocation: number;
  idleEvictionMs: number;
  meanLifetimeMs: number;
  /** Times after the day's start (ms) at which every isolate is replaced. */
  deploys: readonly number[];
  views: ViewBufferOptions;
}

export interface Isolate {
  worker: ReturnType<typeof createWorker>;
  counter: ViewCounter;
  startedAt: number;
  lastRequestAt: number;
  diesAt: number;
}

export interface IsolateStats {
  started: number;
  evictedIdle: number;
  recycled: number;
  replacedByDeploy: number;
  /** Views (summed weight) that were in a buffer when its isolate went. */
  lostViews: number;
  lostBy: Record<'evictedIdle' | 'recycled' | 'replacedByDeploy', number>;
}

export class IsolatePool {
  readonly stats: IsolateStats = {
    started: 0,
    evictedIdle: 0,
    recycled: 0,
    replacedByDeploy: 0,
    lostViews: 0,
    lostBy: { evictedIdle: 0, recycled: 0, replacedByDeploy: 0 },
  };
  readonly #slots: (Isolate | null)[];

  constructor(
    private readonly model: IsolateModel,
    locations: number,
    private readonly random: Random,
    private readonly dayStart: number,
  ) {
    this.#slots = Array.from({ length: locations * model.isolatesPerLocation }, () => null);
  }

  /** The isolate that serves a request arriving at `location` at `now`, starting a fresh one when needed. */
  isolateFor(location: number, now: number): Isolate {
    const slot = location * this.model.isolatesPerLocation + Math.floor(this.random() * this.model.isolatesPerLocation);
    let isolate = this.#slots[slot] ?? null;
    if (isolate !== null) {
      const deployed = this.model.deploys.some(
        (offset) => this.dayStart + offset > isolate!.startedAt && this.dayStart + offset <= now,
      );
      const reason = deployed
        ? 'replacedByDeploy'
        : now - isolate.lastRequestAt > this.model.idleEvictionMs
          ? 'evictedIdle'
          : now >= isolate.diesAt
            ? 'recycled'
            : null;
      if (reason !== null) {
        this.#end(isolate, reason);
        isolate = null;
      }
    }
    if (isolate === null) {
      // Each isolate keeps its own count of the free plan's limits, reported with its view batches.
      const usage = new UsageTally();
      const counter = new ViewCounter(this.model.views, usage);
      isolate = {
        worker: createWorker({ viewCounter: counter, usage }),
        counter,
        startedAt: now,
        lastRequestAt: now,
        diesAt: now + exponential(this.random, this.model.meanLifetimeMs),
      };
      this.#slots[slot] = isolate;
      this.stats.started += 1;
    }
    isolate.lastRequestAt = now;
    return isolate;
  }

  /** Ends the isolates that would have gone by `now` without another request (idle, recycled), counting their loss. */
  settle(now: number): void {
    this.#slots.forEach((isolate, slot) => {
      if (isolate === null) return;
      const reason =
        now - isolate.lastRequestAt > this.model.idleEvictionMs
          ? 'evictedIdle'
          : now >= isolate.diesAt
            ? 'recycled'
            : null;
      if (reason === null) return;
      this.#end(isolate, reason);
      this.#slots[slot] = null;
    });
  }

  #end(isolate: Isolate, reason: keyof IsolateStats['lostBy']): void {
    this.stats[reason] += 1;
    this.stats.lostViews += isolate.counter.bufferedViews;
    this.stats.lostBy[reason] += isolate.counter.bufferedViews;
  }

  /** Views still buffered in live isolates: written by their next due request, not lost (yet). */
  bufferedViews(): number {
    return this.#slots.reduce((sum, isolate) => sum + (isolate?.counter.bufferedViews ?? 0), 0);
  }
}
