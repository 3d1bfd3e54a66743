import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiError, ndjsonResponse, parseJsonRequest } from "./api";

const schema = z.strictObject({ name: z.string().min(1, "Enter a name.").max(10) });
const post = (body: string, site = "same-origin") => new Request("http://localhost/api/x", { method: "POST", body, headers: { "Sec-Fetch-Site": site } });
const parse = (json: unknown) => schema.safeParse(json);

describe("route handler answers", () => {
  it("errors carry the catalogue's code, message and status, never cached", async () => {
    const res = apiError("no_saved_credential");
    expect(res.status).toBe(409);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: { code: "no_saved_credential", message: "There are no saved details to test yet." } });
    expect(apiError("tests_rate_limited", { headers: { "Retry-After": "60" } }).headers.get("Retry-After")).toBe("60");
  });

  it.each([
    ["cross-site", post('{"name":"a"}', "cross-site"), 403, "cross_site"],
    ["oversized", post(JSON.stringify({ name: "x".repeat(200) })), 413, "too_large"],
    ["not JSON", post("{not json"), 400, "invalid_json"],
    ["wrong type", post('{"name":5}'), 400, "invalid_input"],
    ["missing field", post("{}"), 400, "invalid_input"],
    ["extra field", post('{"name":"a","admin":true}'), 400, "invalid_input"],
    ["hostile string", post(JSON.stringify({ name: "<script>alert(1)</script>" })), 400, "invalid_input"],
  ])("refuses a %s request", async (_name, request, status, code) => {
    const parsed = await parseJsonRequest(request, { maxBytes: 100, parse });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.response.status).toBe(status);
    const body = await parsed.response.json();
    expect(body.error.code).toBe(code);
    expect(JSON.stringify(body)).not.toContain("<script>");
  });

  it("gives field errors beside the fields, and parsed input when good", async () => {
    const bad = await parseJsonRequest(post('{"name":""}'), { maxBytes: 100, parse });
    expect(bad.ok ? undefined : (await bad.response.json()).error.fieldErrors).toEqual({ name: ["Enter a name."] });
    expect(await parseJsonRequest(post('{"name":"Ann"}'), { maxBytes: 100, parse })).toEqual({ ok: true, data: { name: "Ann" } });
  });

  it("streams events one JSON object per line", async () => {
    const res = ndjsonResponse<{ n: number }>(async (send) => {
      send({ n: 1 });
      send({ n: 2 });
    });
    expect(res.headers.get("Content-Type")).toMatch(/application\/x-ndjson/);
    expect((await res.text()).trim().split("\n").map((l) => JSON.parse(l))).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
