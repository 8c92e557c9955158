/** The queue's keyboard shortcuts: which key does what, and when a key press is typing rather than a command. */
import type { AdminStringKey } from './strings/admin-strings.js';

export type ShortcutCommand =
  'next' | 'previous' | 'select' | 'approve' | 'reject' | 'spam' | 'undo' | 'search' | 'help';

/** In the order the help dialog lists them. */
export const SHORTCUTS: { key: string; command: ShortcutCommand; label: AdminStringKey }[] = [
  { key: 'j', command: 'next', label: 'keyNext' },
  { key: 'k', command: 'previous', label: 'keyPrevious' },
  { key: 'x', command: 'select', label: 'keySelect' },
  { key: 'a', command: 'approve', label: 'keyApprove' },
  { key: 'r', command: 'reject', label: 'keyReject' },
  { key: 's', command: 'spam', label: 'keySpam' },
  { key: 'u', command: 'undo', label: 'keyUndo' },
  { key: '/', command: 'search', label: 'keySearch' },
  { key: '?', command: 'help', label: 'keyHelp' },
];

const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'range']);

/** Whether `target` takes text (or a choice typed into a select), where letters must stay letters. */
export function takesText(target: EventTarget | null | undefined): boolean {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type);
  return target instanceof HTMLElement && target.isContentEditable;
}

/** Whether the key press lands in something that takes text. */
export function isTyping(event: KeyboardEvent): boolean {
  return takesText(event.composedPath()[0]);
}

/** The command a key press asks for, or null (typing, a modifier held, or an unknown key). */
export function shortcutFor(event: KeyboardEvent): ShortcutCommand | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  if (isTyping(event)) return null;
  return SHORTCUTS.find((shortcut) => shortcut.key === event.key)?.command ?? null;
}

/**
 * Whether the focus (down through shadow roots) is where the owner writes: a text field, or any control of an open
 * form (a reply, an edit), whose caret or place what the page does by itself must leave alone.
 */
export function ownerTyping(): boolean {
  const active = focusedElement();
  return takesText(active) || Boolean(active?.closest('.inline-form'));
}

/**
 * After an Undo that failed: whether the focus went with the toast's Undo button and is now on nothing, so the page
 * may give it back where the owner can act again. Not when the owner has moved on, typing or anywhere else.
 */
export function focusLost(): boolean {
  return focusedElement() === document.body;
}

/** The element that has the focus, down through shadow roots (the body when nothing has it). */
export function focusedElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
