// @ewsjs/ntlm-client 3.x ships no typings. The slice we use (lib/exchange/ntlm.ts, tools/exchange-sim/ntlm.ts).
declare module "@ewsjs/ntlm-client" {
  export type Type2Message = {
    flags: number;
    encoding: "ascii" | "ucs2";
    version: 1 | 2;
    challenge: Buffer;
    targetName: string;
    targetInfo?: { parsed: Record<string, string>; buffer: Buffer };
  };
  const ntlm: {
    /** "NTLM <base64>" */
    createType1Message(workstation?: string, target?: string): string;
    /** Accepts "NTLM <base64>" or the bare base64; throws on anything that is not a type 2 message. */
    decodeType2Message(header: string): Type2Message;
    /** "NTLM <base64>"; NTLMv2 when the challenge negotiates it. `target` is the domain (default: the server's). */
    createType3Message(type2: Type2Message, username: string, password: string, workstation?: string, target?: string): string;
  };
  export default ntlm;
}
declare module "@ewsjs/ntlm-client/lib/hash.js" {
  /** MD4 of the UTF-16LE password (js-md4: Node's OpenSSL 3 has no MD4). */
  export function createNTLMHash(password: string): Buffer;
}
