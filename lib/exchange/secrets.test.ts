import { describe, expect, it } from "vitest";
import { renderLog } from "./render-log";
import { createScrubber, REDACTED } from "./secrets";
import type { ProbeStep } from "./steps";

describe("scrubbing a probe's secrets", () => {
  const account = "svc@contoso.com";
  const password = "S3cret/Pass+word=";
  const s = createScrubber(account, password);
  const basic = Buffer.from(`${account}:${password}`).toString("base64");

  it("removes the password, its URL encoding and the Basic credentials wherever they appear", () => {
    expect(s.text(`echo ${password} and ${encodeURIComponent(password)}`)).toBe(`echo ${REDACTED} and ${REDACTED}`);
    expect(s.text(`x-echo: ${basic}`)).toBe(`x-echo: ${REDACTED}`);
    expect(s.text(`Authorization: Basic ${basic}`)).not.toContain(basic);
  });

  it("keeps ordinary text that only looks like an auth scheme", () => {
    const text = `2000008;reason="Basic authentication is blocked for this user." Bearer client_id="00000002-0000-0ff1-ce00-000000000000"`;
    expect(s.text(text)).toBe(text);
  });

  it("walks nested step objects", () => {
    const out = s.deep({ a: [{ b: `p=${password}` }], n: 3 });
    expect(JSON.stringify(out)).not.toContain(password);
    expect(out.n).toBe(3);
  });
});

describe("the log text", () => {
  it("uses the Remote Connectivity Analyzer's layout", () => {
    const step: ProbeStep = {
      id: "autodiscover",
      title: "Attempting to retrieve the EWS URL for alice@contoso.com through Autodiscover.",
      status: "failed",
      startedAt: "2026-11-29T00:00:00.000Z",
      elapsedMs: 132,
      result: "autodiscover.contoso.com answered HTTP 456.",
      details: [],
      http: [
        {
          id: 1,
          purpose: "autodiscover",
          method: "POST",
          url: "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
          startedAt: "2026-11-29T00:00:00.000Z",
          status: 456,
          statusText: "Unauthorized",
          responseHeaders: [
            ["X-BackEndHttpStatus", "456"],
            ["X-AutoDiscovery-Error", "LiveIdBasicAuth:AppPasswordRequired:<…>"],
          ],
          bodyBytes: 0,
          truncated: false,
          timings: { totalMs: 120 },
        },
      ],
    };
    const log = renderLog([step, { id: "summary", title: "Attempting to summarise the test.", status: "failed", startedAt: "", elapsedMs: 0, result: "Failed.", details: [] }]);
    expect(log).toContain("Attempting to retrieve the EWS URL for alice@contoso.com through Autodiscover.\nThe test failed: autodiscover.contoso.com answered HTTP 456.");
    expect(log).toContain("Additional Details");
    expect(log).toContain("An HTTP 456 Unauthorized response was received from the remote server.");
    expect(log).toContain("HTTP Response Headers:\nX-BackEndHttpStatus: 456\nX-AutoDiscovery-Error: LiveIdBasicAuth:AppPasswordRequired:<…>");
    expect(log).toContain("Elapsed Time: 132 ms.");
    expect(log.split("\n")[1]).toBe("The test failed. Failed.");
  });
});
