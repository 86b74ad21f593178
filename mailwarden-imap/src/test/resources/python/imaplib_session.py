"""Drives mailwarden's IMAP server with Python's imaplib, as a mail client script would.

Usage: imaplib_session.py MODE PORT USER PASSWORD CAFILE
MODE is "starttls" (plain port, STARTTLS before login) or "imaps" (implicit TLS).
Prints one line per check; exits non-zero on the first failure.
"""
import email
import imaplib
import ssl
import sys

mode, port, user, password, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
context = ssl.create_default_context(cafile=cafile)
context.check_hostname = False  # the test certificate names mx.example.test, we connect to 127.0.0.1


def check(label, condition, detail=""):
    if not condition:
        print(f"FAIL {label} {detail}")
        sys.exit(1)
    print(f"ok {label}")


if mode == "starttls":
    m = imaplib.IMAP4("127.0.0.1", port)
    check("logindisabled before tls", "LOGINDISABLED" in m.capabilities, m.capabilities)
    m.starttls(ssl_context=context)
else:
    m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context)
check("capabilities", "IMAP4REV1" in m.capabilities and "IDLE" in m.capabilities or "IMAP4rev1" in m.capabilities)

typ, data = m.login(user, password)
check("login", typ == "OK", data)

typ, data = m.list()
names = [line.decode() for line in data]
check("list has special use", any("\\Sent" in n and n.endswith("Sent") for n in names), names)

typ, data = m.create("Py/Sub")
check("create", typ == "OK", data)

message = (b"From: Python <py@example.test>\r\nTo: " + user.encode() + b"\r\nSubject: from imaplib\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n"
           b"--x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain body\r\n"
           b"--x\r\nContent-Type: text/html\r\n\r\n<b>html body</b>\r\n--x--\r\n")
typ, data = m.append("Py/Sub", "(\\Flagged)", imaplib.Time2Internaldate(1700000000), message)
check("append", typ == "OK" and b"APPENDUID" in data[0], data)

typ, data = m.select("Py/Sub")
check("select", typ == "OK" and data[0] == b"1", data)

typ, data = m.fetch("1", "(FLAGS RFC822)")
parsed = email.message_from_bytes(data[0][1])
check("fetch rfc822", parsed["Subject"] == "from imaplib" and parsed.is_multipart(), data[0][0])
check("fetch sets seen", b"\\Seen" in data[0][0] and b"\\Flagged" in data[0][0], data[0][0])

typ, data = m.fetch("1", "(BODY.PEEK[2])")
check("fetch section", data[0][1] == b"<b>html body</b>", data)

typ, data = m.search(None, "FROM", "python")
check("search", data == [b"1"], data)

typ, data = m.uid("SEARCH", None, "TEXT", '"plain body"')
check("uid search", data == [b"1"], data)

typ, data = m.store("1", "+FLAGS", "(\\Deleted)")
check("store", typ == "OK" and b"\\Deleted" in data[0], data)

typ, data = m.uid("COPY", "1", "INBOX")
check("copy", typ == "OK", data)

typ, data = m.expunge()
check("expunge", data == [b"1"], data)

typ, data = m.status("INBOX", "(MESSAGES UNSEEN)")
check("status", typ == "OK" and b"MESSAGES" in data[0], data)

m.close()
typ, data = m.delete("Py/Sub")
check("delete", typ == "OK", data)
m.logout()
print("done")
