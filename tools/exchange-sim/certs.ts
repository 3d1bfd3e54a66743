/**
 * Certificates for the simulator, generated at start: a private CA (its PEM is what a probe trusts as an
 * extra CA), a good server certificate for localhost/127.0.0.1/::1, one for the wrong name and an expired one.
 * EC keys, because RSA generation would add seconds to every test run.
 */
import selfsigned from "selfsigned";

export type SimCertificates = {
  caPem: string;
  good: { key: string; cert: string };
  wrongName: { key: string; cert: string };
  expired: { key: string; cert: string };
};

type AltName = { type: 2; value: string } | { type: 7; ip: string };

export async function generateSimCertificates(extraNames: string[] = []): Promise<SimCertificates> {
  const ca = await selfsigned.generate([{ name: "commonName", value: "Exchange Simulator Test CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signer = { key: ca.private, cert: ca.cert };
  const leaf = async (cn: string, altNames: AltName[], validity?: { notBeforeDate: Date; notAfterDate: Date }) => {
    const pems = await selfsigned.generate([{ name: "commonName", value: cn }], {
      keyType: "ec",
      algorithm: "sha256",
      ca: signer,
      ...validity,
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: true },
        { name: "subjectAltName", altNames },
      ],
    });
    return { key: pems.private, cert: pems.cert };
  };
  const local: AltName[] = [
    { type: 2, value: "localhost" },
    { type: 7, ip: "127.0.0.1" },
    { type: 7, ip: "::1" },
    ...extraNames.map((value): AltName => (/^[\d.]+$|:/.test(value) ? { type: 7, ip: value } : { type: 2, value })),
  ];
  const day = 24 * 3600 * 1000;
  const [good, wrongName, expired] = await Promise.all([
    leaf("localhost", local),
    leaf("mail.wrong-name.example", [{ type: 2, value: "mail.wrong-name.example" }]),
    leaf("localhost", local, { notBeforeDate: new Date(Date.now() - 400 * day), notAfterDate: new Date(Date.now() - 35 * day) }),
  ]);
  return { caPem: ca.cert, good, wrongName, expired };
}
