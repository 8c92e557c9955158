/** How long after posting a commenter may still edit or delete their comment. */
import { LIMITS } from '@sala/protocol';

/** Seconds from the EDIT_WINDOW_SECONDS var; the shared default when it is unset or not a positive number. */
export function editWindowSeconds(configured: string | undefined): number {
  const seconds = Number(configured);
  return configured !== undefined && Number.isSafeInteger(seconds) && seconds > 0 ? seconds : LIMITS.editWindowSeconds;
}

export function editableUntil(createdAt: string, windowSeconds: number): Date {
  return new Date(Date.parse(createdAt) + windowSeconds * 1000);
}
