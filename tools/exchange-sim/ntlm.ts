/**
 * The simulator's side of NTLM (Windows authentication on an IIS virtual directory), after MS-NLMP:
 * a CHALLENGE_MESSAGE with the server's target info, and a check of the client's NTLMv2 response against the
 * account's known password (NTOWFv2 → NTProofStr over the server challenge and the client's blob). The check is
 * written here from the spec, not taken from the client library, so a client that computes it wrong fails.
 * MD4 (for the NT hash) comes from the NTLM library's js-md4: Node's OpenSSL 3 has no MD4.
 * Extended Protection "Require" is modelled by looking for a non-zero MsvAvChannelBindings in the blob.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createNTLMHash } from "@ewsjs/ntlm-client/lib/hash.js";

const SIGNATURE = Buffer.from("NTLMSSP\0", "ascii");
export const SIM_NETBIOS_DOMAIN = "CONTOSO";
const SERVER = "EXCH01";
const DNS_DOMAIN = "contoso.test";

// NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | ALWAYS_SIGN | TARGET_TYPE_DOMAIN | EXTENDED_SESSIONSECURITY | TARGET_INFO | VERSION | 128 | 56
const CHALLENGE_FLAGS = (0x1 | 0x4 | 0x200 | 0x8000 | 0x10000 | 0x80000 | 0x800000 | 0x2000000 | 0x20000000 | 0x80000000) >>> 0;

function avPair(id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function fileTimeNow(): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(Date.now()) + 11644473600000n) * 10000n);
  return b;
}

/** The type of an NTLM message in an `Authorization: NTLM <base64>` header (1, 3), or undefined. */
export function ntlmMessageType(authorization: string | undefined): { type: number; message: Buffer } | undefined {
  const m = /^NTLM\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? "");
  if (!m) return undefined;
  const message = Buffer.from(m[1]!, "base64");
  if (message.length < 12 || !message.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return { type: message.readUInt32LE(8), message };
}

/** A CHALLENGE_MESSAGE (type 2) with a fresh server challenge, as the value of `WWW-Authenticate`. */
export function challengeMessage(): { header: string; serverChallenge: Buffer } {
  const serverChallenge = randomBytes(8);
  const target = Buffer.from(SIM_NETBIOS_DOMAIN, "utf16le");
  const info = Buffer.concat([
    avPair(2, Buffer.from(SIM_NETBIOS_DOMAIN, "utf16le")),
    avPair(1, Buffer.from(SERVER, "utf16le")),
    avPair(4, Buffer.from(DNS_DOMAIN, "utf16le")),
    avPair(3, Buffer.from(`${SERVER.toLowerCase()}.${DNS_DOMAIN}`, "utf16le")),
    avPair(7, fileTimeNow()),
    avPair(0, Buffer.alloc(0)),
  ]);
  const head = Buffer.alloc(56);
  SIGNATURE.copy(head, 0);
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(target.length, 12);
  head.writeUInt16LE(target.length, 14);
  head.writeUInt32LE(56, 16);
  head.writeUInt32LE(CHALLENGE_FLAGS, 20);
  serverChallenge.copy(head, 24);
  head.writeUInt16LE(info.length, 40);
  head.writeUInt16LE(info.length, 42);
  head.writeUInt32LE(56 + target.length, 44);
  Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 15]).copy(head, 48); // Windows 10.0.17763, NTLM revision 15
  return { header: `NTLM ${Buffer.concat([head, target, info]).toString("base64")}`, serverChallenge };
}

function field(message: Buffer, at: number): Buffer {
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (offset + length > message.length) throw new Error("field out of range");
  return message.subarray(offset, offset + length);
}

export type AuthenticateCheck = { ok: boolean; user: string; domain: string; channelBinding: boolean };

/** Checks an AUTHENTICATE_MESSAGE (type 3) against the challenge this connection was sent and the account's password. */
export function checkAuthenticate(message: Buffer, serverChallenge: Buffer, password: string): AuthenticateCheck {
  try {
    const nt = field(message, 20);
    const domain = field(message, 28).toString("utf16le");
    const user = field(message, 36).toString("utf16le");
    if (nt.length < 16 + 28) return { ok: false, user, domain, channelBinding: false }; // NTLMv1 is refused (LmCompatibilityLevel 5)
    const proof = nt.subarray(0, 16);
    const blob = nt.subarray(16);
    const ntowfv2 = createHmac("md5", createNTLMHash(password)).update(Buffer.from(user.toUpperCase() + domain, "utf16le")).digest();
    const expected = createHmac("md5", ntowfv2).update(Buffer.concat([serverChallenge, blob])).digest();
    let channelBinding = false;
    for (let at = 28; at + 4 <= blob.length; ) {
      const id = blob.readUInt16LE(at);
      const length = blob.readUInt16LE(at + 2);
      if (id === 0) break;
      if (id === 0x000a && blob.subarray(at + 4, at + 4 + length).some((b) => b !== 0)) channelBinding = true;
      at += 4 + length;
    }
    return { ok: timingSafeEqual(proof, expected), user, domain, channelBinding };
  } catch {
    return { ok: false, user: "", domain: "", channelBinding: false };
  }
}
