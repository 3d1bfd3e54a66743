import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A URL-safe random token: 32 bytes (256 bits) unless asked otherwise; never below 128 bits. */
export function randomToken(bytes = 32): string {
  return randomBytes(Math.max(bytes, 16)).toString("base64url");
}

/** Tokens are stored only as their SHA-256, so a database leak yields no usable link or session. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Tokens we issue are base64url of ≥16 bytes; anything else is rejected before touching the database. */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{22,128}$/.test(value);
}
