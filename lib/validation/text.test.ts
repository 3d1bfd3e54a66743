import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { newOnboardingSchema, staffNoteSchema, staffVendorLinkSchema } from "./onboarding";
import { vendorLinkSchema } from "./workspace";
import { credentialFormSchema } from "./credentials";
import { domainEndsInNumber, freeText } from "./text";

/**
 * The one text-field rule (issue 17 #9): every single-line free-text field refuses what can break a line or
 * disguise a name — C0/C1 controls (CR, LF, NEL U+0085), U+2028/U+2029, bidi overrides and isolates, zero-width
 * characters — and multi-line fields keep only newlines and tabs. The same rule in forms, actions and CLIs.
 */
const HOSTILE = ["Acme\r\nBcc: x@evil.test", "Acme\u0085Realty", "Acme\u2028Realty", "Acme\u2029Realty", "Acme\u202eytlaeR", "Acme\u2066x", "Acme\u200bRealty", "Acme\u0000", "Acme\u009bRealty", "Acme\ufeffRealty", "Acme\nRealty", "Acme\rRealty"];
const ID = "0000000000aaaaaaaaaaaaaaaa";

describe("freeText", () => {
  const name = freeText({ what: "name", max: 20 });
  it("trims, caps and keeps visible hostile text verbatim", () => {
    expect(name.parse("  O'Brien <b> 🏠 ")).toBe("O'Brien <b> 🏠");
    expect(name.safeParse("x".repeat(21)).success).toBe(false);
    expect(name.safeParse("  ").success).toBe(false);
  });
  it.each(HOSTILE)("refuses %j", (bad) => {
    const r = name.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("Remove line breaks, invisible or control characters from the name.");
  });
  it("multi-line text keeps newlines and tabs, refuses the rest", () => {
    const note = freeText({ what: "note", max: 100, multiline: true });
    expect(note.parse("a\r\nb\tc")).toBe("a\nb\tc");
    for (const bad of ["a\u0085b", "a\u2028b", "a\u202eb", "a\u0007b"]) expect(note.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe("every free-text field uses it", () => {
  const fields: [string, z.ZodType, (v: string) => Record<string, unknown>][] = [
    ["brokerage name", newOnboardingSchema, (v) => ({ brokerageName: v, contactName: "Ada", contactEmail: "ada@acme.test" })],
    ["contact name", newOnboardingSchema, (v) => ({ brokerageName: "Acme", contactName: v, contactEmail: "ada@acme.test" })],
    ["staff vendor label", staffVendorLinkSchema, (v) => ({ onboardingId: ID, label: v })],
    ["workspace vendor label", vendorLinkSchema, (v) => ({ label: v })],
  ];
  for (const [field, schema, make] of fields) {
    it.each(HOSTILE)(`${field} refuses %j`, (bad) => {
      expect(schema.safeParse(make(bad)).success).toBe(false);
    });
  }
  it("notes refuse NEL and line separators", () => {
    for (const bad of ["a\u0085b", "a\u2028b"]) expect(staffNoteSchema.safeParse({ onboardingId: ID, note: bad }).success).toBe(false);
  });
});

describe("a mailbox domain ending in a number (an IP address) is an input error", () => {
  it.each(["10.0.0.1", "contoso.123", "mail.0x7f", "[10.0.0.1]", "256.1.1.1"])("domain %s", (domain) => {
    expect(domainEndsInNumber(domain.replace(/^\[|\]$/g, ""))).toBe(true);
  });
  it("ordinary domains do not", () => {
    for (const d of ["contoso.com", "mail.co.uk", "123.example.com", "xn--bcher-kva.example"]) expect(domainEndsInNumber(d)).toBe(false);
  });
  it("the credential form says so", () => {
    const r = credentialFormSchema.safeParse({ serviceAccount: "svc@contoso.com", password: "x", testMailbox: "jane@10.0.0.1", track: "exchange-server" });
    expect(r.success).toBe(false);
    expect(z.flattenError(r.error!).fieldErrors.testMailbox?.[0]).toMatch(/not valid|IP address/);
  });
});

describe("the onboarding:create CLI applies the same rule", () => {
  it.each(["Acme\r\nRealty", "Acme\u0085Realty", "Acme\u2028Realty"])("refuses the brokerage %j and saves nothing", (bad) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-cli-text-"));
    try {
      const r = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/onboarding-create.ts", "--brokerage", bad, "--contact", "Ada", "--email", "ada@acme.test"], {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe("--brokerage: Remove line breaks, invisible or control characters from the brokerage name.");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
