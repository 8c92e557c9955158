/**
 * One day of a blog's readers, drawn from a seed: sessions in several locations following the local time of
 * day, each reading one or more posts picked by a Zipf popularity, and a few comments. The browser's
 * once-per-page-per-day memory decides which views send a beacon, and sampling (1 in N, weight N) thins them.
 */
import { exponential, seededRandom, weightedPicker, zipfPicker, type Random } from './random.js';

export interface Location {
  /** A Cloudflare location code, for the printout. */
  name: string;
  /** Share of the blog's readers whose requests reach this location. */
  share: number;
  /** The readers' time zone: their day shapes this location's traffic. */
  utcOffsetHours: number;
}

export interface TrafficModel {
  seed: number;
  /** Page views on the replayed UTC day. */
  views: number;
  posts: number;
  zipfExponent: number;
  comments: number;
  locations: readonly Location[];
  /** Mean page views per session (1 + geometric). */
  viewsPerSession: number;
  /** Share of sessions by a reader already seen that day (same browser, same address). */
  returningShare: number;
  /** Beacons are sent for 1 in N first views, with weight N. */
  sampleRate: number;
  /** Traffic drawn after the day ends, so the final cron runs meet a live blog, not a stopped one. */
  tailMs: number;
  /**
   * Share of page views whose two widget GETs are replayed. The others are counted at one request and one KV read
   * each, as the route tests assert, and when the isolate's buffer is due a cheap request down the same middleware
   * stands in for them, so batches are written exactly when they would be. 1 replays all; less runs faster.
   */
  replayedWidgetShare: number;
}

/** Relative traffic per local hour, 0 to 23: quiet nights, a lunch plateau, an evening peak. */
export const DIURNAL = [
  2.2, 1.4, 0.9, 0.7, 0.7, 1.1, 2.0, 3.3, 4.3, 4.8, 5.0, 5.2, 5.4, 5.2, 5.0, 4.9, 4.9, 5.0, 5.3, 5.9, 6.4, 6.3, 5.1,
  3.6,
] as const;

export const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;

export interface PageViewEvent {
  kind: 'view';
  at: number;
  location: number;
  reader: Reader;
  post: number;
  /** The beacon's weight; 0 when the browser sends none (a repeat today, or not sampled). */
  beaconWeight: number;
  /** The browser's first view of this post today: what the counts should count. */
  firstToday: boolean;
}

export interface CommentEvent {
  kind: 'comment';
  at: number;
  location: number;
  reader: Reader;
  post: number;
}

export type TrafficEvent = PageViewEvent | CommentEvent;

export interface Reader {
  id: number;
  ip: string;
  userAgent: string;
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];

/** A UTC time of day (ms) for a session in a location, following its readers' local day. */
function sessionStart(random: Random, pickHour: (random: Random) => number, location: Location): number {
  const localMs = (pickHour(random) + random()) * HOUR;
  return (((localMs - location.utcOffsetHours * HOUR) % DAY) + DAY) % DAY;
}

/**
 * The day's events in time order, from `dayStart` to `dayStart + DAY + tailMs`. Exactly `views` page views fall
 * on the day itself; the tail continues the same traffic.
 */
export function drawTraffic(model: TrafficModel, dayStart: number): TrafficEvent[] {
  const random = seededRandom(model.seed);
  const pickPost = zipfPicker(model.posts, model.zipfExponent);
  const pickHour = weightedPicker(DIURNAL);
  const pickLocation = weightedPicker(model.locations.map((location) => location.share));
  const readersByLocation = model.locations.map((): Reader[] => []);
  const seen = new Set<string>(); // reader, post and UTC day: the browser's own memory
  const events: TrafficEvent[] = [];
  let readerCount = 0;
  let dayViews = 0;

  const newReader = (): Reader => {
    readerCount += 1;
    const ip = `10.${(readerCount >> 16) & 255}.${(readerCount >> 8) & 255}.${readerCount & 255}`;
    return { id: readerCount, ip, userAgent: USER_AGENTS[Math.floor(random() * USER_AGENTS.length)]! };
  };

  const addSession = (start: number, location: number): void => {
    const known = readersByLocation[location]!;
    const returning = known.length > 0 && random() < model.returningShare;
    const reader = returning ? known[Math.floor(random() * known.length)]! : newReader();
    if (!returning) known.push(reader);
    let at = dayStart + start;
    let post = pickPost(random);
    do {
      const day = Math.floor(at / DAY);
      const key = `${reader.id} ${post} ${day}`;
      const firstToday = !seen.has(key);
      seen.add(key);
      const sampled = model.sampleRate <= 1 || random() < 1 / model.sampleRate;
      const beaconWeight = firstToday && sampled ? model.sampleRate : 0;
      events.push({ kind: 'view', at, location, reader, post, beaconWeight, firstToday });
      if (at < dayStart + DAY) dayViews += 1;
      at += 30_000 + random() * 210_000;
      // Now and then a reader goes back to the post just read (a reload, the back button).
      if (random() >= 0.05) post = pickPost(random);
    } while (random() < 1 - 1 / model.viewsPerSession && dayViews < model.views);
  };

  while (dayViews < model.views) {
    const location = pickLocation(random);
    const start = sessionStart(random, pickHour, model.locations[location]!);
    addSession(start, location);
    // The day is periodic: a session in its first minutes has a twin just after it ends, for the tail.
    if (start < model.tailMs) addSession(start + DAY, pickLocation(random));
  }

  for (let i = 0; i < model.comments; i++) {
    const location = pickLocation(random);
    const at = dayStart + sessionStart(random, pickHour, model.locations[location]!);
    events.push({ kind: 'comment', at, location, reader: newReader(), post: pickPost(random) });
  }
  return events.sort((a, b) => a.at - b.at).filter((event) => event.at < dayStart + DAY + model.tailMs);
}

/** Unique (reader, post, UTC day) views per post in [from, to): what an exact counter would report. */
export function trueViews(events: readonly TrafficEvent[], from: number, to: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const event of events) {
    if (event.kind !== 'view' || !event.firstToday || event.at < from || event.at >= to) continue;
    counts.set(event.post, (counts.get(event.post) ?? 0) + 1);
  }
  return counts;
}

export function meanOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

export { exponential };
