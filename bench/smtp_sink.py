#!/usr/bin/env python3
"""A minimal SMTP sink for benchmarks: accepts every message and appends one line per message to
a log file: the time, the Message-ID, the recipients and the subject (as sent, perhaps
encoded). No TLS, no authentication, no relaying.

Usage: bench/smtp_sink.py PORT LOGFILE
"""
import asyncio
import sys
import time


async def session(reader, writer, log):
    def send(line):
        writer.write((line + "\r\n").encode())

    send("220 sink ESMTP")
    await writer.drain()
    recipients = []
    while True:
        raw = await reader.readline()
        if not raw:
            break
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        verb = line[:4].upper()
        if verb in ("EHLO", "HELO"):
            send("250-sink" if verb == "EHLO" else "250 sink")
            if verb == "EHLO":
                send("250-8BITMIME")
                send("250 SMTPUTF8")
        elif verb == "MAIL":
            recipients = []
            send("250 OK")
        elif verb == "RCPT":
            recipients.append(line.split(":", 1)[1].strip().strip("<>"))
            send("250 OK")
        elif verb == "DATA":
            send("354 go ahead")
            await writer.drain()
            message_id = subject = ""
            while True:
                data = await reader.readline()
                if not data or data in (b".\r\n", b".\n"):
                    break
                if not message_id and data[:11].lower() == b"message-id:":
                    message_id = data[11:].decode("utf-8", "replace").strip()
                elif not subject and data[:8].lower() == b"subject:":
                    subject = data[8:].decode("utf-8", "replace").strip()
            log.write(f"{time.time():.3f}\t{message_id}\t{','.join(recipients)}\t{subject}\n")
            log.flush()
            send("250 OK queued")
        elif verb == "RSET":
            recipients = []
            send("250 OK")
        elif verb == "NOOP":
            send("250 OK")
        elif verb == "QUIT":
            send("221 bye")
            await writer.drain()
            break
        else:
            send("502 not implemented")
        await writer.drain()
    writer.close()


async def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "a", encoding="utf-8") as log:
        server = await asyncio.start_server(
            lambda r, w: session(r, w, log), "127.0.0.1", port
        )
        async with server:
            await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
