import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER as SERVER_SIDE } from "@/lib/http/client-address";
import { CLIENT_ADDRESS_HEADER, stampClientAddress } from "./client-address-stamp.mjs";

it("the server stamps the socket address and drops any copy the client sent", async () => {
  expect(CLIENT_ADDRESS_HEADER).toBe(SERVER_SIDE);
  const seen: { header: unknown; raw: string[] }[] = [];
  const server = http.createServer((req, res) => {
    stampClientAddress(req);
    seen.push({ header: req.headers[CLIENT_ADDRESS_HEADER], raw: req.rawHeaders.filter((_, i, all) => i % 2 === 1 && all[i - 1]!.toLowerCase() === CLIENT_ADDRESS_HEADER) });
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  for (const forged of [{ "X-Moxi-Client-Address": "6.6.6.6" }, { "x-moxi-client-address": "6.6.6.6", "X-Forwarded-For": "7.7.7.7" }, {}]) {
    await new Promise<void>((resolve, reject) => http.get({ host: "127.0.0.1", port, headers: forged }, (res) => res.resume().on("end", () => resolve())).on("error", reject));
  }
  await new Promise<void>((r) => server.close(() => r()));
  expect(seen).toEqual(Array.from({ length: 3 }, () => ({ header: "127.0.0.1", raw: ["127.0.0.1"] })));
});
