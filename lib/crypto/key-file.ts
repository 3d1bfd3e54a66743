import "server-only";
import { z } from "zod";

/**
 * The key file's format, checked with one zod schema:
 *   { "version": 1, "active": "k-…", "keys": [{ "kid": "k-…", "key": "<base64, 32 bytes>", "createdAt": "…" }] }
 * Read by lib/crypto/load-key-ring.ts, written by the ring (lib/crypto/keyring.ts) when it changes.
 */
export const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const KID_RULE = "1–64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";

const keyFileSchema = z.object({
  version: z.literal(1, { error: 'must have "version": 1' }),
  active: z.string({ error: 'must name its active key id in "active"' }),
  keys: z
    .array(
      z.object({
        kid: z.string().regex(KID_PATTERN),
        key: z.string({ error: 'has no base64 "key"' }),
        createdAt: z.string().optional().catch(undefined),
      }),
      { error: 'must list at least one key in "keys"' },
    )
    .min(1, { error: 'must list at least one key in "keys"' }),
});
export type KeyFile = z.output<typeof keyFileSchema>;

/** Parses the key file's text; the error is a phrase to follow "the key file at <path>", never key material. */
export function parseKeyFile(text: string): { ok: true; file: KeyFile } | { ok: false; problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: "is not valid JSON" };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { ok: false, problem: "must be a JSON object" };
  const parsed = keyFileSchema.safeParse(data);
  if (parsed.success) return { ok: true, file: parsed.data };
  const issue = parsed.error.issues[0]!;
  const [top, index, field] = issue.path;
  if (top === "keys" && typeof index === "number") {
    if (field === "key") return { ok: false, problem: `has no base64 "key" for key ${index + 1}` };
    return { ok: false, problem: `has an invalid "kid" in key ${index + 1}: ${KID_RULE}` };
  }
  return { ok: false, problem: issue.message };
}

export function serializeKeyFile(file: KeyFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
