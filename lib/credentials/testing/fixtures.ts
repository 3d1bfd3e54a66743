import fs from "node:fs";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { generateKey, KeyRing } from "@/lib/crypto/keyring";
import { createOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import type { CredentialFormData } from "@/lib/validation/credentials";

/** Shared test helpers for lib/credentials (not imported by app code). */
export const BROKERAGE: Actor = { kind: "brokerage", id: "link-1", label: "Admin (brokerage)" };
export const SYSTEM: Actor = { kind: "system", label: "test" };
export const STAFF: Actor = { kind: "staff", id: "staff-1", label: "Sam (staff)" };

export function memoryRing(kids: string[] = ["test-1"]): KeyRing {
  return new KeyRing(kids.map((kid) => ({ kid, key: generateKey() })), kids[0]!);
}

/** A distinctive password per call, so a search of bytes or logs for it can only find this test's value. */
export function canaryPassword(tag = "x"): string {
  return `Canary-${tag}-${Math.random().toString(36).slice(2, 10)}-Zq!9 ü`;
}

export function formData(patch: Partial<CredentialFormData> = {}): CredentialFormData {
  return {
    serviceAccount: "svc-moxiengage@contoso.com",
    password: canaryPassword(),
    testMailbox: "jane.agent@contoso.com",
    ewsUrl: "https://mail.contoso.com/EWS/Exchange.asmx",
    authScheme: "auto",
    track: "exchange-server",
    ...patch,
  };
}

/** Walks an onboarding along legal transitions to `state`. */
export async function onboardingIn(db: Kysely<Database>, state: OnboardingState): Promise<string> {
  const o = await createOnboarding(db, { brokerageName: "Acme Realty", contactName: "Ann", contactEmail: "ann@acme.test" }, STAFF);
  const paths: Record<OnboardingState, [OnboardingState, Actor, string?][]> = {
    invited: [],
    in_progress: [["in_progress", BROKERAGE]],
    submitted: [["in_progress", BROKERAGE], ["submitted", BROKERAGE]],
    verifying: [["in_progress", BROKERAGE], ["submitted", BROKERAGE], ["verifying", SYSTEM]],
    verified: [["in_progress", BROKERAGE], ["submitted", BROKERAGE], ["verifying", SYSTEM], ["verified", SYSTEM]],
    needs_attention: [["in_progress", BROKERAGE], ["submitted", BROKERAGE], ["verifying", SYSTEM], ["needs_attention", SYSTEM]],
    rotation_requested: [
      ["in_progress", BROKERAGE], ["submitted", BROKERAGE], ["verifying", SYSTEM], ["verified", SYSTEM], ["rotation_requested", STAFF, "rotate"],
    ],
    revoked: [["revoked", STAFF, "closed"]],
  };
  for (const [to, actor, reason] of paths[state]) await transition(db, o.id, to, actor, { reason });
  return o.id;
}

/** Counts occurrences without ever printing the needle (assertion diffs would put it in the test log). */
export function occurrences(haystack: Buffer | string, needle: string): number {
  const forms = [
    Buffer.from(needle, "utf8"),
    Buffer.from(needle, "utf16le"),
    Buffer.from(Buffer.from(needle, "utf8").toString("base64"), "utf8"),
    Buffer.from(encodeURIComponent(needle), "utf8"),
    Buffer.from(JSON.stringify(needle).slice(1, -1), "utf8"),
  ];
  const hay = typeof haystack === "string" ? Buffer.from(haystack, "utf8") : haystack;
  let n = 0;
  for (const form of forms) {
    for (let i = hay.indexOf(form); i >= 0; i = hay.indexOf(form, i + 1)) n++;
  }
  return n;
}

/** Every byte of a SQLite database: the main file and its WAL/shared-memory files. */
export function sqliteBytes(description: string): Buffer {
  const file = /^SQLite at (.+)$/.exec(description)?.[1];
  if (!file) throw new Error("not a SQLite handle");
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}
