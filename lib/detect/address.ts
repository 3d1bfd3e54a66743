import { domainToASCII } from "node:url";
import net from "node:net";
import { domainEndsInNumber } from "@/lib/validation/text";

/**
 * What the detector is asked about: an e-mail address or a bare domain (the public guide's box takes either).
 * For a bare domain the mailbox-level lookups use postmaster@, which every mail domain must accept (RFC 5321).
 */
export type DetectionSubject = { email: string; domain: string; givenAs: "email" | "domain" };

export type SubjectProblem = "empty" | "too_long" | "not_an_address" | "not_a_public_domain";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseSubject(raw: string): { ok: true; subject: DetectionSubject } | { ok: false; problem: SubjectProblem } {
  const input = raw.trim();
  if (!input) return { ok: false, problem: "empty" };
  if (input.length > 254) return { ok: false, problem: "too_long" };
  const at = input.lastIndexOf("@");
  const local = at >= 0 ? input.slice(0, at) : "";
  const rawDomain = (at >= 0 ? input.slice(at + 1) : input).replace(/\.$/, "");
  if (at >= 0 && (!local || local.length > 64 || /[\s<>()[\]\\,;:"@]/.test(local))) return { ok: false, problem: "not_an_address" };
  if (/[\s/?#\\:]/.test(rawDomain) || net.isIP(rawDomain.replace(/^\[|\]$/g, ""))) return { ok: false, problem: "not_a_public_domain" };
  const domain = domainToASCII(rawDomain.toLowerCase());
  const labels = domain.split(".");
  if (!domain || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || domainEndsInNumber(domain) || domain === "localhost" || domain.endsWith(".localhost")) {
    return { ok: false, problem: "not_a_public_domain" };
  }
  const email = at >= 0 ? `${local}@${domain}` : `postmaster@${domain}`;
  return { ok: true, subject: { email, domain, givenAs: at >= 0 ? "email" : "domain" } };
}
