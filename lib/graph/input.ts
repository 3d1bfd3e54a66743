import "server-only";
import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
export { privateKeyForms } from "./key-forms";

// The tenant and mailbox checks are pure and shared with the browser's forms (lib/validation/tenant.ts).
export { isGuid, mailboxProblem, parseTenant, type TenantRef } from "@/lib/validation/tenant";

export type CertificateCredential = { thumbprintSha256: string; privateKey: string; x5c: string; notAfter: Date; subject: string };

/**
 * The certificate credential as MSAL takes it: the SHA-256 thumbprint (hex) of the DER certificate, the
 * private key as PKCS#8 PEM, and the certificate (x5c, base64 DER) so Entra can match it by subject/issuer too.
 */
export function parseCertificate(certificatePem: string, privateKeyPem: string): { ok: true; credential: CertificateCredential } | { ok: false; message: string } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    return { ok: false, message: "The certificate is not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)." };
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    return { ok: false, message: "The private key is not a readable PEM private key (an encrypted key needs its passphrase removed first)." };
  }
  if (key.asymmetricKeyType !== "rsa") return { ok: false, message: `The private key is ${key.asymmetricKeyType ?? "not RSA"}; Entra app certificates need an RSA key.` };
  if (!cert.checkPrivateKey(key)) return { ok: false, message: "The private key does not belong to the certificate." };
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() < Date.now()) return { ok: false, message: `The certificate expired on ${notAfter.toISOString().slice(0, 10)}; upload a new one to the app registration.` };
  return {
    ok: true,
    credential: {
      thumbprintSha256: createHash("sha256").update(cert.raw).digest("hex"),
      privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
      x5c: cert.raw.toString("base64"),
      notAfter,
      subject: cert.subject.replace(/\n/g, ", "),
    },
  };
}
