package org.mailwarden.store.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.store.mime.MessageStructure.Address;
import org.mailwarden.store.mime.MessageStructure.Envelope;
import org.mailwarden.store.mime.MessageStructure.Param;
import org.mailwarden.store.mime.MessageStructure.Part;

/**
 * The stored form of a {@link MessageStructure}: a compact, versioned binary encoding (variable-length
 * numbers, length-prefixed UTF-8 strings), a few hundred bytes for a typical message. A blob in an
 * unknown version or a damaged one is reported as {@link IllegalArgumentException}, and the store then
 * computes the structure again from the message.
 */
public final class StructureCodec {

    private static final int VERSION = 1;
    private static final int MAX_DEPTH = MimeScanner.MAX_DEPTH * 2 + 4;

    private StructureCodec() {
    }

    public static byte[] encode(MessageStructure structure) {
        Writer w = new Writer();
        w.varint(VERSION);
        w.part(structure.root());
        return w.out.toByteArray();
    }

    public static MessageStructure decode(byte[] data) {
        Reader r = new Reader(data);
        try {
            long version = r.varint();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown structure version " + version);
            }
            MessageStructure s = new MessageStructure(r.part(0));
            if (r.pos != data.length) {
                throw new IllegalArgumentException("trailing bytes in structure");
            }
            return s;
        } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("damaged structure", e);
        }
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void varint(long v) {
            long x = v;
            while ((x & ~0x7fL) != 0) {
                out.write((int) ((x & 0x7f) | 0x80));
                x >>>= 7;
            }
            out.write((int) x);
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            out.write(b, 0, b.length);
        }

        void params(List<Param> params) {
            varint(params.size());
            for (Param p : params) {
                string(p.name());
                string(p.value());
            }
        }

        void strings(List<String> list) {
            varint(list.size());
            list.forEach(this::string);
        }

        void addresses(List<Address> list) {
            varint(list.size());
            for (Address a : list) {
                string(a.name());
                string(a.route());
                string(a.mailbox());
                string(a.host());
            }
        }

        void part(Part p) {
            varint(p.headerOffset());
            varint(p.bodyOffset());
            varint(p.bodySize());
            varint(p.bodyLines());
            string(p.type());
            string(p.subtype());
            params(p.params());
            string(p.id());
            string(p.description());
            string(p.encoding());
            string(p.md5());
            string(p.disposition());
            params(p.dispositionParams());
            strings(p.language());
            string(p.location());
            Envelope e = p.envelope();
            varint(e == null ? 0 : 1);
            if (e != null) {
                string(e.date());
                string(e.subject());
                addresses(e.from());
                addresses(e.sender());
                addresses(e.replyTo());
                addresses(e.to());
                addresses(e.cc());
                addresses(e.bcc());
                string(e.inReplyTo());
                string(e.messageId());
            }
            varint(p.parts().size());
            p.parts().forEach(this::part);
        }
    }

    private static final class Reader {
        final byte[] data;
        int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = data[pos++] & 0xff;
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("bad number in structure");
        }

        int count() {
            long n = varint();
            if (n < 0 || n > data.length) {
                throw new IllegalArgumentException("bad count in structure");
            }
            return (int) n;
        }

        String string() {
            int n = count();
            if (n == 0) {
                return null;
            }
            String s = new String(data, pos, n - 1, StandardCharsets.UTF_8);
            pos += n - 1;
            return s;
        }

        List<Param> params() {
            int n = count();
            List<Param> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Param(string(), string()));
            }
            return out;
        }

        List<String> strings() {
            int n = count();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(string());
            }
            return out;
        }

        List<Address> addresses() {
            int n = count();
            List<Address> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Address(string(), string(), string(), string()));
            }
            return out;
        }

        Part part(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("structure nested too deeply");
            }
            long headerOffset = varint();
            long bodyOffset = varint();
            long bodySize = varint();
            long bodyLines = varint();
            String type = string();
            String subtype = string();
            List<Param> params = params();
            String id = string();
            String description = string();
            String encoding = string();
            String md5 = string();
            String disposition = string();
            List<Param> dispositionParams = params();
            List<String> language = strings();
            String location = string();
            Envelope envelope = null;
            if (varint() == 1) {
                envelope = new Envelope(string(), string(), addresses(), addresses(), addresses(), addresses(),
                        addresses(), addresses(), string(), string());
            }
            int n = count();
            List<Part> parts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                parts.add(part(depth + 1));
            }
            if (type == null || subtype == null) {
                throw new IllegalArgumentException("part without a media type in structure");
            }
            return new Part(headerOffset, bodyOffset, bodySize, bodyLines, type, subtype, params, id, description,
                    encoding, md5, disposition, dispositionParams, language, location, envelope, parts);
        }
    }
}
