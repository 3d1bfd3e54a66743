import { describe, expect, it } from "vitest";
import { failure, type Failure } from "@/lib/exchange/failures";
import type { RecordedExchange } from "@/lib/exchange/http-client";
import type { ProbeResult } from "@/lib/exchange/probe";
import type { StageId } from "@/lib/exchange/steps";
import { CAUSES } from "./causes";
import { diagnoseProbe } from "./diagnose-probe";
import { FAILURE_CAUSES, REFINABLE } from "./failure-causes";

function exchange(status: number, headers: [string, string][], body = "", url = "https://mail.contoso.test/EWS/Exchange.asmx"): RecordedExchange {
  return { id: 1, purpose: "test", method: "POST", url, startedAt: "", status, responseHeaders: headers, bodyExcerpt: body, bodyBytes: body.length, truncated: false, timings: {} } as unknown as RecordedExchange;
}

function failed(stage: StageId, f: Failure, http: RecordedExchange[] = []): ProbeResult {
  return {
    outcome: "failed",
    failedStage: stage,
    failure: f,
    steps: [{ id: stage, title: "t", status: "failed", startedAt: "", elapsedMs: 1, result: f.message, details: [], failure: f, http }],
    log: "",
    startedAt: "",
    elapsedMs: 1,
    roundTrips: 1,
  };
}

describe("diagnoseProbe", () => {
  it("the table names a cause of the vocabulary for every failure code", () => {
    for (const cause of Object.values(FAILURE_CAUSES)) expect(CAUSES).toContain(cause);
    for (const list of Object.values(REFINABLE)) for (const cause of list ?? []) expect(CAUSES).toContain(cause);
  });

  it("a pass has nothing to diagnose", () => {
    expect(diagnoseProbe({ outcome: "passed", steps: [], log: "", startedAt: "", elapsedMs: 1, roundTrips: 1 })).toEqual({ primaryCause: null, findings: [] });
  });

  it("an SSRF-guard refusal is never a DNS failure, whatever its message says", () => {
    for (const code of ["address_not_public", "url_not_allowed"] as const) {
      const r = diagnoseProbe(failed("connect", failure(code, "getaddrinfo ENOTFOUND: the remote name could not be resolved")));
      expect(r.primaryCause).not.toBe("dns_failure");
      expect(r.primaryCause).toBe("autodiscover_failed");
    }
  });

  it("a 401 is refined by the server's own headers, not by our message", () => {
    const blocked = failed("authenticate", failure("http_unauthorized", "AADSTS50126 wrong password", { status: 401 }), [
      exchange(401, [["X-AutoDiscovery-Error", "LiveIdBasicAuth:BasicAuthBlocked:<X-forwarded-for:1.2.3.4>"]]),
    ]);
    expect(diagnoseProbe(blocked).primaryCause).toBe("basic_auth_blocked");
    const plain = failed("authenticate", failure("http_unauthorized", "BasicAuthBlocked", { status: 401 }), [exchange(401, [["WWW-Authenticate", "Basic realm=\"x\""]])]);
    expect(diagnoseProbe(plain, { track: "exchange-server" }).primaryCause).toBe("bad_credentials");
  });

  it("a refinement outside what the code can mean is ignored", () => {
    const r = failed("autodiscover", failure("http_error", "x", { status: 503 }), [exchange(503, [], "<html>AADSTS50126 Invalid username or password</html>")]);
    expect(diagnoseProbe(r).primaryCause).toBe("server_error");
  });

  it("HTTP 403 from Exchange Online's EWS is the retirement block (ews_blocked); from a server, ews_disabled", () => {
    const online = failed("authenticate", failure("http_forbidden", "m", { status: 403 }), [exchange(403, [], "", "https://outlook.office365.com/EWS/Exchange.asmx")]);
    expect(diagnoseProbe(online).primaryCause).toBe("ews_blocked");
    expect(diagnoseProbe(online, { track: "microsoft-365" }).findings[0]!.explanation).toContain("1 April 2027");
    const server = failed("authenticate", failure("http_forbidden", "m", { status: 403 }), [exchange(403, [])]);
    expect(diagnoseProbe(server, { track: "exchange-server" }).primaryCause).toBe("ews_disabled");
  });

  it("no app-access secondary finding on the Exchange Server track", () => {
    const r = failed("authenticate", failure("http_unauthorized", "m", { status: 401 }), [
      exchange(401, [["x-ms-diagnostics", '2000001;reason="The user specified by the user-context in the token does not exist.";error_category="invalid_user"']], "AADSTS50055: The password is expired."),
    ]);
    const onServer = diagnoseProbe(r, { track: "exchange-server" });
    expect(onServer.primaryCause).toBe("password_expired");
    expect(onServer.findings.map((f) => f.cause)).not.toContain("oauth_app_misconfigured");
    expect(diagnoseProbe(r, { track: "microsoft-365" }).findings.map((f) => f.cause)).toContain("oauth_app_misconfigured");
  });

  it("evidence quotes the failure and the server's lines", () => {
    const r = failed("impersonate", failure("soap_fault", "EWS answered ErrorImpersonateUserDenied.", { status: 500, code: "ErrorImpersonateUserDenied" }));
    const d = diagnoseProbe(r);
    expect(d.primaryCause).toBe("impersonation_denied");
    expect(d.findings[0]!.evidence[0]).toBe("EWS answered ErrorImpersonateUserDenied.");
    expect(d.findings[0]!.signals).toContain("failure:soap_fault");
  });
});
