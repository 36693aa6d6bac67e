export interface EmailMessage {
  subject: string;
  body: string;
  from: string;
  to: readonly string[];
}

/** Django's EMAIL_BACKEND protocol. */
export interface MailBackend {
  sendMessages(messages: readonly EmailMessage[]): Promise<number>;
}

/** Django's locmem backend: messages kept in `outbox` (for tests). */
export function memoryMailBackend(): MailBackend & { readonly outbox: EmailMessage[] } {
  const outbox: EmailMessage[] = [];
  return {
    outbox,
    async sendMessages(messages) {
      outbox.push(...messages);
      return messages.length;
    },
  };
}

/** Django's console backend: writes each message to a stream (stdout by default). */
export function consoleMailBackend(stream: { write(chunk: string): unknown } = process.stdout): MailBackend {
  return {
    async sendMessages(messages) {
      for (const m of messages) {
        stream.write(
          `Subject: ${m.subject}\nFrom: ${m.from}\nTo: ${m.to.join(", ")}\n\n${m.body}\n${"-".repeat(79)}\n`,
        );
      }
      return messages.length;
    },
  };
}

/** Django's send_mail. */
export function sendMail(backend: MailBackend, message: EmailMessage): Promise<number> {
  return backend.sendMessages([message]);
}
