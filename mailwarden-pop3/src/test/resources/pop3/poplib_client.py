"""Drives mailwarden's POP3 server with Python's poplib, as a mail client would, and prints what it saw.

Usage: poplib_client.py HOST PORT stls|ssl USER PASSWORD [DELETE_NUMBERS]

One fact per output line: "capa NAME", "stat COUNT OCTETS", "list N SIZE", "uidl N ID",
"retr N BASE64" (the message as poplib returns it, lines joined with CRLF), "top N BASE64" (header only),
"dele N", "quit REPLY". Exit status 0 when the dialogue completed.
"""
import base64
import poplib
import ssl
import sys


def main():
    host, port, mode, user, password = sys.argv[1:6]
    delete = [int(n) for n in sys.argv[6].split(",")] if len(sys.argv) > 6 and sys.argv[6] else []
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if mode == "ssl":
        pop = poplib.POP3_SSL(host, int(port), context=context, timeout=30)
    else:
        pop = poplib.POP3(host, int(port), timeout=30)
        pop.stls(context=context)
    for name in sorted(pop.capa()):
        print("capa", name)
    pop.user(user)
    pop.pass_(password)
    count, octets = pop.stat()
    print("stat", count, octets)
    for entry in pop.list()[1]:
        print("list", entry.decode())
    for entry in pop.uidl()[1]:
        print("uidl", entry.decode())
    for n in range(1, count + 1):
        lines = pop.retr(n)[1]
        print("retr", n, base64.b64encode(b"\r\n".join(lines) + b"\r\n").decode())
        top = pop.top(n, 0)[1]
        print("top", n, base64.b64encode(b"\r\n".join(top) + b"\r\n").decode())
    for n in delete:
        pop.dele(n)
        print("dele", n)
    print("quit", pop.quit().decode())


if __name__ == "__main__":
    main()
