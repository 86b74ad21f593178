package org.mailwarden.imap.fetch;

import java.io.IOException;
import java.util.List;
import org.mailwarden.imap.response.ResponseWriter;
import org.mailwarden.store.mime.MessageStructure.Address;
import org.mailwarden.store.mime.MessageStructure.Envelope;
import org.mailwarden.store.mime.MessageStructure.Param;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * Writes ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 section 7.5.2) from a stored message structure:
 * header values exactly as they appear in the message, a missing transfer encoding as {@code 7BIT},
 * text and message/rfc822 parts with their line counts, and, for BODYSTRUCTURE, the extension data
 * (MD5, disposition, language, location, multipart parameters).
 */
public final class StructureWriter {

    private StructureWriter() {
    }

    public static void envelope(ResponseWriter w, Envelope e) throws IOException {
        if (e == null) {
            e = new Envelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
        }
        w.open().nstring(e.date()).sp().nstring(e.subject()).sp();
        addresses(w, e.from());
        w.sp();
        addresses(w, e.sender());
        w.sp();
        addresses(w, e.replyTo());
        w.sp();
        addresses(w, e.to());
        w.sp();
        addresses(w, e.cc());
        w.sp();
        addresses(w, e.bcc());
        w.sp().nstring(e.inReplyTo()).sp().nstring(e.messageId()).close();
    }

    private static void addresses(ResponseWriter w, List<Address> list) throws IOException {
        if (list.isEmpty()) {
            w.nil();
            return;
        }
        w.open();
        for (Address a : list) {
            w.open().nstring(a.name()).sp().nstring(a.route()).sp().nstring(a.mailbox()).sp().nstring(a.host()).close();
        }
        w.close();
    }

    /** BODYSTRUCTURE when {@code extended}, else BODY. */
    public static void body(ResponseWriter w, Part p, boolean extended) throws IOException {
        w.open();
        if (p.isMultipart()) {
            for (Part child : p.parts()) {
                body(w, child, extended);
            }
            w.sp().string(p.subtype());
            if (extended) {
                w.sp();
                params(w, p.params());
                w.sp();
                extensions(w, p);
            }
            w.close();
            return;
        }
        w.string(p.type()).sp().string(p.subtype()).sp();
        params(w, p.params());
        w.sp().nstring(p.id()).sp().nstring(p.description()).sp()
                .string(p.encoding() == null ? "7BIT" : p.encoding()).sp().number(p.bodySize());
        if (p.isMessage()) {
            Part inner = p.message();
            w.sp();
            envelope(w, inner.envelope());
            w.sp();
            body(w, inner, extended);
            w.sp().number(p.bodyLines());
        } else if (p.isText()) {
            w.sp().number(p.bodyLines());
        }
        if (extended) {
            w.sp().nstring(p.md5()).sp();
            extensions(w, p);
        }
        w.close();
    }

    /** body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private static void extensions(ResponseWriter w, Part p) throws IOException {
        if (p.disposition() == null) {
            w.nil();
        } else {
            w.open().string(p.disposition()).sp();
            params(w, p.dispositionParams());
            w.close();
        }
        w.sp();
        if (p.language().isEmpty()) {
            w.nil();
        } else if (p.language().size() == 1) {
            w.string(p.language().getFirst());
        } else {
            w.open();
            for (int i = 0; i < p.language().size(); i++) {
                if (i > 0) {
                    w.sp();
                }
                w.string(p.language().get(i));
            }
            w.close();
        }
        w.sp().nstring(p.location());
    }

    private static void params(ResponseWriter w, List<Param> params) throws IOException {
        if (params.isEmpty()) {
            w.nil();
            return;
        }
        w.open();
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                w.sp();
            }
            w.string(params.get(i).name()).sp().string(params.get(i).value());
        }
        w.close();
    }
}
