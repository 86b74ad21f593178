#!/usr/bin/env python3
"""Sends one message with Python's smtplib, for mailwarden's end-to-end tests.

usage: smtp_client.py HOST PORT MODE SOURCE_IP USER PASSWORD FROM TO[,TO...]  (message on stdin)
MODE is plain (no TLS, no login), starttls (STARTTLS then AUTH) or ssl (implicit TLS then AUTH).
USER '-' means no login. Prints one line: "OK <server reply to the end of data>" or
"REFUSED <code> <text>" and exits 0 or 1.
"""
import smtplib
import ssl
import sys


def main():
    host, port, mode, source, user, password, sender, rcpts = sys.argv[1:9]
    message = sys.stdin.buffer.read()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if mode == "ssl":
        client = smtplib.SMTP_SSL(host, int(port), source_address=(source, 0), context=context, timeout=20)
    else:
        client = smtplib.SMTP(host, int(port), source_address=(source, 0), timeout=20)
    try:
        client.ehlo("python.client.test")
        if mode == "starttls":
            client.starttls(context=context)
            client.ehlo("python.client.test")
        if user != "-":
            client.login(user, password)
        code, text = client.mail(sender)
        if code != 250:
            print("REFUSED %d %s" % (code, text.decode()))
            return 1
        for rcpt in rcpts.split(","):
            code, text = client.rcpt(rcpt)
            if code != 250:
                print("REFUSED %d %s" % (code, text.decode()))
                return 1
        code, text = client.data(message)
        if code != 250:
            print("REFUSED %d %s" % (code, text.decode()))
            return 1
        print("OK %d %s" % (code, text.decode()))
        return 0
    except smtplib.SMTPResponseException as e:
        print("REFUSED %d %s" % (e.smtp_code, e.smtp_error.decode()))
        return 1
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            pass


if __name__ == "__main__":
    sys.exit(main())
