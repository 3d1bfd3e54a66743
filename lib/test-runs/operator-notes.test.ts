import { describe, expect, it } from "vitest";
import { runProbe } from "@/lib/exchange/probe";
import { operatorNotesFor } from "./operator-notes";

// A CA file that does not exist: the probe cannot read its settings (the internal_error path).
process.env.EXCHANGE_EXTRA_CA_FILE = "/nonexistent/moxi-ca.pem";

/** Any configuration name (EXCHANGE_ALLOWED_HOSTS, MICROSOFT_CLIENT_ID, …): what the brokerage's view must never carry. */
const CONFIG_NAME = /\b(EXCHANGE|MICROSOFT|SMTP|DNS|TRUSTED|DATABASE|DATA|APP|LOG)_[A-Z_]+\b/;
const input = (ewsUrl: string) => ({ serviceAccount: "svc@acme.test", password: "Pw-not-logged-1", testMailbox: "agent@acme.test", ewsUrl });

describe("operator words stay with operators (issue 18 item 9)", () => {
  it.each([
    ["a non-standard port", "https://127.0.0.1:8443/EWS/Exchange.asmx", "invalid_input"],
    ["a loopback address", "https://127.0.0.1/EWS/Exchange.asmx", "address_not_public"],
    ["a private address", "https://10.1.2.3/EWS/Exchange.asmx", "address_not_public"],
  ])("a refused URL (%s): the run's text names no setting, the staff note does", async (_, url, code) => {
    const result = await runProbe(input(url), { allowedHosts: [], extraCaPem: "", deadlineMs: 2000 });
    expect(result.failure?.code).toBe(code);
    // Was "… unless the host is listed in EXCHANGE_ALLOWED_HOSTS." in the brokerage's log and step.
    expect(result.log).not.toMatch(CONFIG_NAME);
    expect(JSON.stringify(result.steps)).not.toMatch(CONFIG_NAME);
    expect(result.log).toContain("this server allows that host for testing");
    if (code === "address_not_public") expect(operatorNotesFor(result.steps).map((n) => n.note).join(" ")).toContain("EXCHANGE_ALLOWED_HOSTS");
  });

  it("settings that cannot be read: the brokerage is told it is MoxiWorks's problem, staff which settings to check", async () => {
    const result = await runProbe(input("https://mail.acme.test/EWS/Exchange.asmx"), { allowedHosts: [], deadlineMs: 2000 });
    expect(result.failure?.code).toBe("internal_error");
    expect(JSON.stringify(result.steps) + result.log).not.toMatch(CONFIG_NAME);
    expect(result.failure?.message).toMatch(/problem on MoxiWorks's side/);
    expect(operatorNotesFor(result.steps)).toEqual([{ code: "internal_error", note: expect.stringContaining("EXCHANGE_EXTRA_CA_FILE") }]);
  });
});
