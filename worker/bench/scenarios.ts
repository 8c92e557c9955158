/** The benchmark's blog, its readers' locations and its isolates: the base case and the variations printed beside it. */
import type { IsolateModel } from './isolates.js';
import type { Scenario } from './replay.js';
import type { Location, TrafficModel } from './traffic.js';
import { HOUR } from './traffic.js';

/** A Khmer-and-English travel blog: most readers in Cambodia and its neighbours, some in Europe and the US. */
export const LOCATIONS: readonly Location[] = [
  { name: 'PNH', share: 0.35, utcOffsetHours: 7 },
  { name: 'SIN', share: 0.15, utcOffsetHours: 8 },
  { name: 'BKK', share: 0.1, utcOffsetHours: 7 },
  { name: 'HKG', share: 0.05, utcOffsetHours: 8 },
  { name: 'SYD', share: 0.05, utcOffsetHours: 10 },
  { name: 'FRA', share: 0.1, utcOffsetHours: 1 },
  { name: 'LHR', share: 0.05, utcOffsetHours: 0 },
  { name: 'IAD', share: 0.08, utcOffsetHours: -5 },
  { name: 'LAX', share: 0.07, utcOffsetHours: -8 },
];

export const BASE_TRAFFIC: TrafficModel = {
  seed: 20300301,
  views: 20_000,
  posts: 300,
  zipfExponent: 1,
  comments: 50,
  locations: LOCATIONS,
  viewsPerSession: 1.6,
  returningShare: 0.25,
  sampleRate: 1,
  tailMs: 10 * 60_000,
  replayedWidgetShare: 1,
};

export const BASE_ISOLATES: IsolateModel = {
  isolatesPerLocation: 1,
  idleEvictionMs: 15 * 60_000,
  meanLifetimeMs: 3 * HOUR,
  deploys: [6.5 * HOUR],
  views: {}, // the Worker's own flush settings (WORKER_VIEW_FLUSH)
};

export function scenario(name: string, traffic: Partial<TrafficModel>, isolates: Partial<IsolateModel>): Scenario {
  return { name, traffic: { ...BASE_TRAFFIC, ...traffic }, isolates: { ...BASE_ISOLATES, ...isolates } };
}
