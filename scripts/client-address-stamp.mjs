// The header route handlers read the client's socket address from (lib/http/client-address.ts). Any copy the
// client sent is dropped first: only the server may set it.
export const CLIENT_ADDRESS_HEADER = "x-moxi-client-address";

/** @param {import("node:http").IncomingMessage} req */
export function stampClientAddress(req) {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i].toLowerCase() === CLIENT_ADDRESS_HEADER) req.rawHeaders.splice(i, 2);
  }
  const address = req.socket.remoteAddress ?? "";
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  req.rawHeaders.push(CLIENT_ADDRESS_HEADER, address);
}
