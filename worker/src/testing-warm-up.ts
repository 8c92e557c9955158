/**
 * Before every worker test file's tests: a file that imports the Worker's module starts its startup warm-up
 * (warm.ts), which in vitest's workerd runs on past the import, as the module is imported from a test's request and
 * not at an isolate's start. Its resets of the module's state must not land in the middle of a test.
 */
import { beforeAll } from 'vitest';
import { warmedUp } from './warm.js';

beforeAll(() => warmedUp());
