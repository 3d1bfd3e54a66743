/**
 * A real SMTP server for e2e (smtp-server package): accepts every message and lists what it received over
 * HTTP, so specs can assert that mail really left the app. Run as a Playwright webServer:
 *   tsx e2e/helpers/smtp-sink.ts <smtpPort> <httpPort>
 */
import http from "node:http";
import { SMTPServer } from "smtp-server";

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const received: { to: string[]; subject: string; text: string; at: string }[] = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, session, callback) {
    let raw = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (raw += chunk));
    stream.on("end", () => {
      const [head = "", ...body] = raw.split(/\r?\n\r?\n/);
      const unfolded = head.replace(/\r?\n[ \t]+/g, " "); // long headers are folded over several lines
      const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1]?.trim() ?? "";
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, text: body.join("\n\n"), at: new Date().toISOString() });
      callback();
    });
  },
});
smtp.listen(smtpPort, "127.0.0.1");

http
  .createServer((req, res) => {
    if (req.method === "DELETE") received.length = 0;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(received));
  })
  .listen(httpPort, "127.0.0.1");
