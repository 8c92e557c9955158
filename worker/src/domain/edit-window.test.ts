import { LIMITS } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { editableUntil, editWindowSeconds } from './edit-window.js';

describe('edit window', () => {
  it('uses EDIT_WINDOW_SECONDS when it is a positive whole number, else the shared default', () => {
    expect(editWindowSeconds('60')).toBe(60);
    for (const unusable of [undefined, '', '0', '-5', '1.5', 'soon']) {
      expect(editWindowSeconds(unusable)).toBe(LIMITS.editWindowSeconds);
    }
  });

  it('ends that many seconds after the comment was posted', () => {
    expect(editableUntil('2026-11-20T10:00:00.000Z', 900).toISOString()).toBe('2026-11-20T10:15:00.000Z');
  });
});
