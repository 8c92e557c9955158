/** A ban's value and reason as the owner sends them: the admin ban route and a Sala export's import read them alike. */
import type { BanKind } from '@sala/protocol';
import { invalidField } from '../errors.js';

export const BAN_REASON_MAX = 120;

/** The email (lowercased), name or IP hash banned; `field` names it in the 400. */
export function readBanValue(kind: BanKind, raw: unknown, field = 'value'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidField(field, `${field} is required.`);
  const value = raw.trim();
  if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    throw invalidField(field, `${field} is not an email address.`);
  if (kind === 'email' && value.length > 254) throw invalidField(field, `${field} is longer than 254 characters.`);
  if (kind === 'name' && value.length > 64) throw invalidField(field, `${field} is longer than 64 characters.`);
  if (kind === 'ip' && !/^[0-9a-f]{32}$/i.test(value)) {
    throw invalidField(field, 'For an IP ban, send the ipHash shown with the comment.');
  }
  return kind === 'name' ? value : value.toLowerCase();
}

/** null when absent or blank. */
export function readBanReason(raw: unknown, field = 'reason'): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || raw.length > BAN_REASON_MAX) {
    throw invalidField(field, `${field} must be text of at most ${BAN_REASON_MAX} characters.`);
  }
  return raw.trim() === '' ? null : raw.trim();
}
