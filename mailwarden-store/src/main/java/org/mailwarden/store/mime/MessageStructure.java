package org.mailwarden.store.mime;

import java.util.List;
import java.util.Objects;

/**
 * What IMAP needs to know about a stored message without reading it again: its MIME tree with the byte
 * range of every part's header and body (so a BODY[section] fetch is a slice of the stored blob), the
 * fields of BODYSTRUCTURE with extension data, and the ENVELOPE of the message and of every
 * encapsulated message/rfc822. Computed once when the message is stored ({@link MimeScanner}); kept
 * with the body ({@link StructureCodec}). Header values are kept as they appear in the message
 * (unfolded, encoded-words not decoded), which is what ENVELOPE and BODYSTRUCTURE must return.
 *
 * @param root the message itself as a part: its header is the message header
 */
public record MessageStructure(Part root) {

    public MessageStructure {
        Objects.requireNonNull(root, "root");
    }

    /**
     * One MIME entity.
     *
     * @param headerOffset where its header starts in the message
     * @param bodyOffset   where its body starts (after the blank line that ends the header)
     * @param bodySize     the body's length in octets (the CRLF before a boundary belongs to the boundary)
     * @param bodyLines    the body's length in lines
     * @param type         the media type as written, e.g. {@code text} (defaults applied, never null)
     * @param subtype      the subtype as written, e.g. {@code plain}
     * @param params       the Content-Type parameters in order
     * @param encoding     the Content-Transfer-Encoding as written, or null (7BIT)
     * @param envelope     for an entity that is a message (the root, and the child of a message/rfc822
     *                     part): the envelope of its header; null for other parts
     * @param parts        the children of a multipart; for a message/rfc822 part its one child is the
     *                     encapsulated message, whose header starts at this part's body
     */
    public record Part(long headerOffset, long bodyOffset, long bodySize, long bodyLines, String type, String subtype,
                       List<Param> params, String id, String description, String encoding, String md5,
                       String disposition, List<Param> dispositionParams, List<String> language, String location,
                       Envelope envelope, List<Part> parts) {

        public Part {
            params = List.copyOf(params);
            dispositionParams = List.copyOf(dispositionParams);
            language = List.copyOf(language);
            parts = List.copyOf(parts);
        }

        public long headerSize() {
            return bodyOffset - headerOffset;
        }

        public boolean isMultipart() {
            return type.equalsIgnoreCase("multipart");
        }

        /** A message/rfc822 (or message/global) part whose encapsulated message was parsed. */
        public boolean isMessage() {
            return !parts.isEmpty() && type.equalsIgnoreCase("message");
        }

        /** The encapsulated message of a message/rfc822 part. */
        public Part message() {
            if (!isMessage()) {
                throw new IllegalStateException("not a message/rfc822 part");
            }
            return parts.getFirst();
        }

        public boolean isText() {
            return type.equalsIgnoreCase("text");
        }

        /** The value of Content-Type parameter {@code name} (case-insensitive), or null. */
        public String param(String name) {
            for (Param p : params) {
                if (p.name().equalsIgnoreCase(name)) {
                    return p.value();
                }
            }
            return null;
        }
    }

    /** A MIME parameter, as written (the value unquoted). */
    public record Param(String name, String value) {
    }

    /**
     * The ENVELOPE fields of a message: header values as written, addresses split into their parts.
     * Absent fields are null (addresses: empty lists).
     */
    public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                           List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                           String inReplyTo, String messageId) {

        public Envelope {
            from = List.copyOf(from);
            sender = List.copyOf(sender);
            replyTo = List.copyOf(replyTo);
            to = List.copyOf(to);
            cc = List.copyOf(cc);
            bcc = List.copyOf(bcc);
        }
    }

    /**
     * An address in IMAP's four-part form. A group is written as a start marker (mailbox = the group
     * name, host = null) and an end marker (everything null), with its members between them.
     */
    public record Address(String name, String route, String mailbox, String host) {

        public static Address groupStart(String name) {
            return new Address(null, null, name, null);
        }

        public static final Address GROUP_END = new Address(null, null, null, null);
    }
}
