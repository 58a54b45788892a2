import "server-only";
import nodemailer, { type Transporter, type TransportOptions } from "nodemailer";
import { Resend } from "resend";
import { env, mailTransport } from "@/lib/env";

export type RenderedEmail = {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  headers: Record<string, string>;
  messageId: string;
  attachments?: { filename: string; content: Buffer; contentType: string; cid?: string }[];
};

export type SendResult = { status: "SENT" | "CAPTURED"; detail: string };

export interface MailTransport {
  readonly kind: "resend" | "smtp" | "capture";
  send(mail: RenderedEmail): Promise<SendResult>;
}

class CaptureTransport implements MailTransport {
  readonly kind = "capture";
  async send(): Promise<SendResult> {
    return { status: "CAPTURED", detail: "Captured in the message center (no outgoing transport configured)." };
  }
}

export class SmtpTransport implements MailTransport {
  readonly kind = "smtp";
  private transporter: Transporter;
  constructor(options: string | TransportOptions) {
    this.transporter = nodemailer.createTransport(options as TransportOptions);
  }
  async send(mail: RenderedEmail): Promise<SendResult> {
    const info = await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      replyTo: mail.replyTo,
      headers: mail.headers,
      messageId: `<${mail.messageId}>`,
      attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType, cid: a.cid })),
    });
    return { status: "SENT", detail: `SMTP accepted: ${info.response ?? "ok"}` };
  }
}

export class ResendTransport implements MailTransport {
  readonly kind = "resend";
  private client: Resend;
  constructor(apiKey: string, baseUrl?: string) {
    this.client = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  }
  async send(mail: RenderedEmail): Promise<SendResult> {
    // Resend has no In-Reply-To field: threading headers travel in `headers`.
    const { data, error } = await this.client.emails.send(
      {
        from: mail.from,
        to: mail.to,
        cc: mail.cc.length ? mail.cc : undefined,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        replyTo: mail.replyTo,
        headers: { ...mail.headers, "Message-ID": `<${mail.messageId}>` },
        attachments: mail.attachments?.map((a) => ({
          filename: a.filename,
          content: a.content.toString("base64"),
          contentType: a.contentType,
          contentId: a.cid,
        })),
      },
      { idempotencyKey: mail.messageId },
    );
    // The SDK never throws on API errors; it returns them.
    if (error) throw new Error(`Resend refused the message: ${error.name}: ${error.message}`);
    return { status: "SENT", detail: `Resend id ${data?.id ?? "?"}` };
  }
}

let platform: MailTransport | undefined;

/** The platform default transport chosen by configuration. */
export function platformTransport(): MailTransport {
  if (!platform) {
    platform =
      mailTransport === "resend"
        ? new ResendTransport(env.RESEND_API_KEY!, env.RESEND_BASE_URL)
        : mailTransport === "smtp"
          ? new SmtpTransport(env.SMTP_URL!)
          : new CaptureTransport();
  }
  return platform;
}
