import type { Logger } from '@coterie/logger';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * SMTP through nodemailer when `SMTP_URL` is set; otherwise (development, `npm start`) the
 * mail is printed to the log so a developer can copy the code.
 */
export function createMailer(options: {
  smtpUrl?: string | undefined;
  from: string;
  logger: Logger;
}): Mailer {
  if (!options.smtpUrl) {
    return {
      send: async (mail) => {
        options.logger.info({ to: mail.to, subject: mail.subject }, `mail (SMTP_URL not set):\n${mail.text}`);
      },
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    send: async (mail) => {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
