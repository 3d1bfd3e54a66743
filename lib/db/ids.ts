import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** A 26-character id that sorts by creation time (ms) and carries 80 random bits. */
export function newId(): string {
  const time = Date.now().toString(32).padStart(10, "0");
  const bytes = randomBytes(16);
  let rand = "";
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  return time + rand;
}

export function nowIso(): string {
  return new Date().toISOString();
}
