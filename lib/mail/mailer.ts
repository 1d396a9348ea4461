// Outgoing mail through SMTP (nodemailer), configured by CLOUDPORT_SMTP_URL; off when unset.
// The URL carries the mail password: it is never logged, and errors are redacted.
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { redactSecrets } from "@/lib/redact";

export type Mail = { to: string | string[]; subject: string; text: string };
export type SendResult = { sent: boolean; error?: string };

export interface Mailer {
  /** False when no SMTP server is configured: send() then does nothing. */
  readonly enabled: boolean;
  send(mail: Mail): Promise<SendResult>;
}

/** A mailer for an SMTP URL (smtp:// with STARTTLS when offered, smtps:// for implicit TLS). */
export function smtpMailer(url: string | undefined, from: string): Mailer {
  if (!url) return { enabled: false, send: async () => ({ sent: false }) };
  let transport: Transporter | undefined;
  return {
    enabled: true,
    async send(mail) {
      const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).filter(Boolean);
      if (to.length === 0) return { sent: false, error: "no recipient" };
      transport ??= nodemailer.createTransport(url, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
      try {
        await transport.sendMail({ from, to, subject: mail.subject, text: mail.text });
        return { sent: true };
      } catch (error) {
        return { sent: false, error: redactSecrets(error instanceof Error ? error.message : String(error), [url]) };
      }
    },
  };
}

/** The process's mailer from the environment. */
export function mailerFromEnv(): Mailer {
  const e = env();
  return smtpMailer(e.CLOUDPORT_SMTP_URL, e.CLOUDPORT_MAIL_FROM);
}

/** Addresses that get a copy of enforcement actions (CLOUDPORT_MAIL_STAFF). */
export function staffAddresses(): string[] {
  return (env().CLOUDPORT_MAIL_STAFF ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => /^[^\s@]+@[^\s@]+$/.test(a));
}
