// The production server (`npm start`, e2e): Next's own request handler behind node:http, so that every request
// carries the address of the socket it came from. Route handlers cannot see the socket, and X-Forwarded-For is
// whatever the client wrote; per-client rate limits need the truth (TRUSTED_PROXIES says which proxies to believe).
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { stampClientAddress } from "./client-address-stamp.mjs";

process.env.NODE_ENV = "production";
const port = Number(process.env.PORT || 3000);
const dir = path.resolve(import.meta.dirname, "..");
const app = next({ dev: false, dir, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  stampClientAddress(req);
  void handle(req, res);
});
server.listen(port, () => console.log(`> Ready on http://localhost:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
