import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redact } from "./log";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { logger: createLogger({ level: "info", destination }), text: () => lines.join("") };
}

describe("log redaction", () => {
  it("removes secret fields wherever they sit", () => {
    const { logger, text } = capture();
    logger.info(
      {
        password: "P@ss-top-level",
        user: { name: "ada", Password: "P@ss-nested" },
        request: { headers: { Authorization: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", cookie: "sid=abc123", "set-cookie": ["a=b"] } },
        steps: [{ details: { newPassword: "P@ss-in-array" } }],
        inviteToken: "tok_0123456789abcdef",
        apiKey: "k-123",
      },
      "probe finished",
    );
    const out = text();
    for (const secret of ["P@ss-top-level", "P@ss-nested", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "sid=abc123", "a=b", "P@ss-in-array", "tok_0123456789abcdef", "k-123"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("ada");
    expect(out).toContain("probe finished");
    expect(out).toContain("[redacted]");
  });

  it("scrubs credentials inside free text and errors", () => {
    const { logger, text } = capture();
    const error = new Error("request failed with Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.sig and ?token=abcdef");
    logger.error({ err: error }, "upstream said password=hunter2");
    const out = text();
    expect(out).not.toContain("eyJhbGciOi.eyJzdWIiOi.sig");
    expect(out).not.toContain("abcdef");
    expect(out).not.toContain("hunter2");
  });

  it("copes with cycles and leaves harmless values alone", () => {
    const a: Record<string, unknown> = { n: 1, ok: true, empty: null };
    a.self = a;
    expect(redact(a)).toEqual({ n: 1, ok: true, empty: null, self: "[…]" });
  });
});
