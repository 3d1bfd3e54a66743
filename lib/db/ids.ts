import "server-only";
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

let lastTime = 0;
let lastRand: number[] = [];

/**
 * A 26-character id that sorts by creation time (ms) and carries 80 random bits. Ids made in the same
 * millisecond by this process increase (the random part is incremented, as ULID does), so events written
 * back to back keep their order.
 */
export function newId(): string {
  const now = Date.now();
  if (now <= lastTime && lastRand.length) {
    for (let i = lastRand.length - 1; i >= 0; i--) {
      if (lastRand[i]! < 31) { lastRand[i]!++; break; }
      lastRand[i] = 0;
    }
  } else {
    lastTime = now;
    const bytes = randomBytes(16);
    lastRand = Array.from(bytes, (b) => b % 32);
    lastRand[0] = lastRand[0]! % 16; // headroom so increments within one millisecond never wrap
  }
  return lastTime.toString(32).padStart(10, "0") + lastRand.map((n) => ALPHABET[n]).join("");
}

export function nowIso(): string {
  return new Date().toISOString();
}
