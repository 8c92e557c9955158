/**
 * An import file read in slices while the admin page stays responsive: the bytes decoded as they come, an XML file
 * cut into small pieces at its top-level entries (`xml-chunks.ts`) that `DOMParser` reads one by one and the
 * format's reader takes in turn, or a Sala export cut into its threads (`json-chunks.ts`) parsed one by one, then
 * the plan built in steps. Between steps the page gets the main thread back (to paint the progress, to take a click
 * on Cancel); memory holds the pieces being read and what the plan keeps, never the whole file as one string or one
 * document. Results are those of `parseImportFile` on the whole text.
 */
import { isUnreadBloggerContent } from './blogger.js';
import { ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import type { BuildProgress, ImportReader } from './plan-builder.js';
import { SalaExportSplitter } from './json-chunks.js';
import { unknownFormat, xmlReaderFor } from './parse.js';
import { exportedSite, isSalaExport, SalaThreadReader } from './sala.js';
import { XmlChunker } from './xml-chunks.js';
import { parseXml } from './xml.js';

/** Bytes read from the file at a time. */
const SLICE_BYTES = 128 * 1024;
/** Characters of entries in a piece: `DOMParser` and a reader take some 5 ms over 32 KiB here, 4 times that loaded. */
const PIECE_CHARS = 32 * 1024;
/** How long a step may hold the main thread before the page gets it back. */
const STEP_MS = 8;
/** Pieces kept while no entry has said the file's format yet; past this, it is no file Sala reads. */
const UNDECIDED_CHARS = 4 * 1024 * 1024;

/** Reading the bytes (and parsing what they hold), then building the plan from what was read. */
export type ReadProgress = { phase: 'reading' | 'building'; done: number; total: number };

export interface ReadFileOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Smaller slices and pieces than the defaults, to put their boundaries everywhere in a test. */
  sliceBytes?: number;
  pieceChars?: number;
}

/**
 * The main thread back to the page for a moment: the reading goes on in a new task, queued behind what the page
 * has waiting (a click, a timer, a fetch's answer). Not `scheduler.yield()`: its continuation runs ahead of the
 * page's ordinary tasks, and in Chromium a click driven through the DevTools protocol (as the tests click) waited for
 * the whole 8 MB parse. A message, unlike `setTimeout`, is not delayed 4 ms when tasks chain.
 */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Gives the page the main thread once a step has held it `STEP_MS`, and stops when the reading is cancelled. */
class Pace {
  #since = performance.now();

  constructor(private readonly signal: AbortSignal | undefined) {}

  async breathe(): Promise<void> {
    if (performance.now() - this.#since < STEP_MS) return;
    await yieldToPage();
    this.signal?.throwIfAborted();
    this.rested();
  }

  /** The page had the main thread meanwhile (a read of the file was awaited): the step starts again. */
  rested(): void {
    this.#since = performance.now();
  }
}

/** An XML file's pieces, kept until one says which format the file is, then handed to that format's reader. */
class XmlReading {
  #reader: ImportReader | null = null;
  #undecided: Element[] = [];
  #undecidedChars = 0;

  constructor(private readonly options: ImportOptions) {}

  read(piece: string): void {
    const root = parseXml(piece).documentElement;
    if (this.#reader !== null) return this.#reader.read(root);
    this.#reader = xmlReaderFor(root, this.options);
    if (this.#reader === null) {
      this.#undecided.push(root);
      this.#undecidedChars += piece.length;
      if (this.#undecidedChars > UNDECIDED_CHARS) throw unknownFormat();
      return;
    }
    for (const earlier of this.#undecided) this.#reader.read(earlier);
    this.#undecided = [];
    this.#reader.read(root);
  }

  get reader(): ImportReader {
    if (this.#reader === null) throw unknownFormat();
    return this.#reader;
  }
}

function xmlSteps(chunker: XmlChunker, xml: XmlReading): Generator<BuildProgress, ImportPlan> {
  for (const piece of chunker.end()) xml.read(piece);
  return xml.reader.finish();
}

/** A Sala export's plan from its threads, read apart, and the rest of it (each thread a `0` in its `threads`). */
function salaSteps(rest: unknown, sala: SalaThreadReader): Generator<BuildProgress, ImportPlan> {
  if (!isSalaExport(rest)) throw unknownFormat();
  return sala.finish(exportedSite(rest));
}

/**
 * Reads `file` into a plan. Throws `ImportFileError` as `parseImportFile` does, and the signal's reason (an
 * `AbortError`) once it is aborted.
 */
export async function readImportFile(
  file: Blob,
  options: ImportOptions,
  { signal, onProgress, sliceBytes = SLICE_BYTES, pieceChars = PIECE_CHARS }: ReadFileOptions = {},
): Promise<ImportPlan> {
  signal?.throwIfAborted();
  const pace = new Pace(signal);
  // UTF-8, as `File.text()` reads it; a byte order mark is dropped.
  const decoder = new TextDecoder();
  let format = null as 'xml' | 'json' | null;
  // A Blogger post's body is never read, and may be megabytes: it is left out before parsing.
  const chunker = new XmlChunker(pieceChars, isUnreadBloggerContent);
  const xml = new XmlReading(options);
  const splitter = new SalaExportSplitter();
  const sala = new SalaThreadReader();

  const take = async (text: string): Promise<void> => {
    if (format === null) {
      // The format is told by the first character that is not white space.
      text = text.trimStart();
      if (text === '') return;
      format = text.startsWith('<') ? 'xml' : text.startsWith('{') ? 'json' : null;
      if (format === null) throw unknownFormat();
    }
    if (format === 'json') {
      // Thread by thread: a step parses and maps a slice's worth of them.
      for (const thread of splitter.push(text)) sala.read(thread);
      return;
    }
    for (const piece of chunker.push(text)) {
      xml.read(piece);
      await pace.breathe();
    }
  };

  for (let offset = 0; offset < file.size; offset += sliceBytes) {
    const bytes = await file.slice(offset, offset + sliceBytes).arrayBuffer();
    signal?.throwIfAborted();
    pace.rested();
    await take(decoder.decode(bytes, { stream: true }));
    onProgress?.({ phase: 'reading', done: Math.min(file.size, offset + sliceBytes), total: file.size });
    await pace.breathe();
  }
  await take(decoder.decode());

  if (format === null) throw new ImportFileError('empty', 'The file is empty.');
  const steps = format === 'json' ? salaSteps(splitter.end(), sala) : xmlSteps(chunker, xml);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const progress: BuildProgress = step.value;
    onProgress?.({ phase: 'building', ...progress });
    await pace.breathe();
  }
}
