import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./origin";

const h = (entries: Record<string, string>) => new Headers(entries);
const APP = "https://onboarding.moxiworks.test";

describe("one origin check for every state-changing request", () => {
  it("trusts the browser's Fetch Metadata first", () => {
    expect(isSameOriginRequest(h({ "sec-fetch-site": "same-origin", origin: "https://evil.example" }), APP)).toBe(true);
    for (const site of ["same-site", "cross-site", "none"]) expect(isSameOriginRequest(h({ "sec-fetch-site": site, origin: APP, host: "onboarding.moxiworks.test" }), APP)).toBe(false);
  });

  it("without it, the Origin must be the whole origin — scheme, host and port", () => {
    expect(isSameOriginRequest(h({ origin: APP, host: "onboarding.moxiworks.test" }), APP)).toBe(true);
    // The same host over another scheme is another origin (was accepted: only the host was compared).
    expect(isSameOriginRequest(h({ origin: "http://onboarding.moxiworks.test", host: "onboarding.moxiworks.test" }), APP)).toBe(false);
    expect(isSameOriginRequest(h({ origin: "https://onboarding.moxiworks.test:8443", host: "onboarding.moxiworks.test" }), APP)).toBe(false);
    expect(isSameOriginRequest(h({ origin: "https://evil.example", host: "onboarding.moxiworks.test" }), APP)).toBe(false);
    expect(isSameOriginRequest(h({ origin: "null", host: "onboarding.moxiworks.test" }), APP)).toBe(false);
    expect(isSameOriginRequest(h({ origin: "not a url", host: "x" }), APP)).toBe(false);
  });

  it("a plain-http server reached by its own address (npm start on a laptop) still works", () => {
    expect(isSameOriginRequest(h({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }), "http://localhost:3000")).toBe(true);
    expect(isSameOriginRequest(h({ origin: "https://127.0.0.1:3000", host: "127.0.0.1:3000" }), "http://localhost:3000")).toBe(false);
  });

  it("no Origin and no Fetch Metadata is refused", () => {
    expect(isSameOriginRequest(h({ host: "onboarding.moxiworks.test" }), APP)).toBe(false);
    expect(isSameOriginRequest(h({}), APP)).toBe(false);
  });
});
