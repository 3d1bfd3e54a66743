/**
 * Every form of a PEM private key that could turn up in text: the whole PEM, its base64 body, each body line.
 * Pure (no server-only): the probe scrubs these, and the e2e leak test searches for them.
 */
export function privateKeyForms(pem: string): string[] {
  const body = pem.replace(/-----[^-]+-----/g, "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return [pem, pem.trim(), body.join(""), ...body.filter((l) => l.length >= 16)];
}
