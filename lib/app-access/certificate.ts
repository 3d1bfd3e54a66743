import "server-only";
import { createHash, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";

/**
 * The certificate a brokerage uploads to its own Entra app registration ("Use our own app registration"): an RSA
 * 3072 key pair and a self-signed X.509 certificate, made on this server. The private key never leaves it (it is
 * sealed with the key ring by ./own-app.ts); the admin downloads only the certificate.
 *
 * Library: @peculiar/x509 builds and signs the certificate with the platform's WebCrypto (node:crypto), so no
 * JavaScript implementation of RSA is involved (node-forge has its own). It is already what `selfsigned` uses,
 * so the dependency adds nothing new to the install.
 *
 * Entra accepts .cer/.pem/.crt certificates with RSA keys for client assertions (PS256/RS256); 3072-bit keys stay
 * acceptable past 2030 (NIST SP 800-57), where 2048 is the minimum.
 */
export const CERTIFICATE_VALIDITY_MONTHS = 12;
export const RSA_MODULUS_BITS = 3072;

export type GeneratedCertificate = {
  certificatePem: string;
  privateKeyPem: string;
  /** Hex, upper case, of the DER certificate: SHA-256 (Microsoft's x5t#S256) and SHA-1 (what the Entra portal lists). */
  thumbprintSha256: string;
  thumbprintSha1: string;
  notBefore: Date;
  notAfter: Date;
};

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: RSA_MODULUS_BITS } as const;

/** Months after `from`, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Only what is safe in a certificate subject: the brokerage's name, letters, digits, spaces and . , - & ' */
function commonName(brokerage: string): string {
  const clean = brokerage.replace(/[^\p{L}\p{N} .,&'-]/gu, "").replace(/\s+/g, " ").trim().slice(0, 40);
  return `MoxiEngage sync${clean ? ` for ${clean}` : ""}`;
}

export async function generateAppCertificate(brokerage: string, now = new Date(), validityMonths = CERTIFICATE_VALIDITY_MONTHS): Promise<GeneratedCertificate> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  // A minute back, so a clock a little behind ours does not see a certificate from the future.
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = addMonths(notBefore, validityMonths);
  const cn = commonName(brokerage).replace(/[,=+<>#;"\\]/g, " ");
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(15).toString("hex")}`,
    name: `CN=${cn}, O=MoxiWorks MoxiEngage`,
    notBefore,
    notAfter,
    keys: keys as unknown as CryptoKeyPair,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as CryptoKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END PRIVATE KEY-----\n`;
  pkcs8.fill(0);
  const certificatePem = `${cert.toString("pem")}\n`;
  return { certificatePem, privateKeyPem, ...describeCertificate(certificatePem) };
}

export function describeCertificate(certificatePem: string): Pick<GeneratedCertificate, "thumbprintSha256" | "thumbprintSha1" | "notBefore" | "notAfter"> {
  const c = new X509Certificate(certificatePem);
  return {
    thumbprintSha256: createHash("sha256").update(c.raw).digest("hex").toUpperCase(),
    thumbprintSha1: createHash("sha1").update(c.raw).digest("hex").toUpperCase(),
    notBefore: new Date(c.validFrom),
    notAfter: new Date(c.validTo),
  };
}
