import "server-only";
import nodemailer from "nodemailer";
import { config } from "@/lib/config";
import type { MailSender } from "./outbox";

/** nodemailer over SMTP_URL; undefined when no SMTP server is configured (messages stay in the outbox). */
export function smtpSender(smtpUrl = config().smtpUrl, from = config().mailFrom): MailSender | undefined {
  if (!smtpUrl) return undefined;
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return async (message) => {
    await transport.sendMail({ from, ...message });
  };
}
