import { randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read from a terminal is typed right. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** How a typed code is compared: case, spaces and dashes do not matter. */
const canonical = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/**
 * The one-time first-run set-up code (60 random bits). A fresh install has no agent; instead
 * of letting the first visitor of /console become admin, the server prints this code in its
 * log, and only someone who can read the log can create the first admin. It is used once:
 * taken before the admin is created, so two requests racing with the right code make one admin.
 */
export class SetupCode {
  private code: string | undefined;

  /** A new code while `needed` (no agent exists), none otherwise. */
  constructor(needed: boolean) {
    if (needed) this.code = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join('-');
  }

  /** The code to print, while set-up is still open. */
  get value(): string | undefined {
    return this.code;
  }

  /** True, once, for the right code; the code is spent. */
  take(given: string): boolean {
    const code = this.code;
    if (code === undefined) return false;
    const a = Buffer.from(canonical(code));
    const b = Buffer.from(canonical(given));
    if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
    this.code = undefined;
    return true;
  }

  /** Creating the admin failed after the code was taken: the same code works again. */
  restore(code: string): void {
    this.code ??= code;
  }

  /** Set-up is over (an agent now exists, e.g. from `npm run agent:add`). */
  close(): void {
    this.code = undefined;
  }
}
