package org.mailwarden.reliability.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs Debian's {@code sslscan} against one port (implicit TLS, or SMTP STARTTLS) and reads its XML
 * report: which protocol versions the server accepts and which cipher suites.
 */
final class SslScan {

    static final Path SSLSCAN = Path.of("/usr/bin/sslscan");

    /** One accepted suite as sslscan names it (OpenSSL names), with its protocol version and strength. */
    record Cipher(String protocol, String name, int bits, String strength) {
    }

    /**
     * @param protocols              the enabled protocol versions, e.g. {@code TLSv1.3}
     * @param ciphers                every suite the server accepted
     * @param insecureRenegotiation  whether the server allows renegotiation without RFC 5746
     * @param subject                the subject of the certificate the server presented
     */
    record Report(List<String> protocols, List<Cipher> ciphers, boolean insecureRenegotiation, String subject,
                  String xml) {
    }

    private SslScan() {
    }

    static boolean installed() {
        return Files.isExecutable(SSLSCAN);
    }

    static Report scan(InetSocketAddress target, boolean startTlsSmtp) throws Exception {
        List<String> command = new ArrayList<>(List.of(SSLSCAN.toString(), "--xml=-", "--no-colour", "--no-heartbleed",
                "--timeout=10", "--connect-timeout=10"));
        if (startTlsSmtp) {
            command.add("--starttls-smtp");
        }
        command.add(target.getAddress().getHostAddress() + ":" + target.getPort());
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("sslscan did not finish within 180 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        int start = text.indexOf("<?xml");
        if (start < 0) {
            throw new IOException("sslscan printed no XML report (exit " + p.exitValue() + "): " + text + err);
        }
        String xml = text.substring(start);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        List<String> protocols = new ArrayList<>();
        NodeList ps = doc.getElementsByTagName("protocol");
        for (int i = 0; i < ps.getLength(); i++) {
            Element e = (Element) ps.item(i);
            if ("1".equals(e.getAttribute("enabled"))) {
                protocols.add(e.getAttribute("type").toUpperCase(java.util.Locale.ROOT).replace("TLS", "TLSv")
                        .replace("SSL", "SSLv") + e.getAttribute("version"));
            }
        }
        List<Cipher> ciphers = new ArrayList<>();
        NodeList cs = doc.getElementsByTagName("cipher");
        for (int i = 0; i < cs.getLength(); i++) {
            Element e = (Element) cs.item(i);
            if (e.getAttribute("status").equals("accepted") || e.getAttribute("status").equals("preferred")) {
                ciphers.add(new Cipher(e.getAttribute("sslversion"), e.getAttribute("cipher"),
                        Integer.parseInt(e.getAttribute("bits").isEmpty() ? "0" : e.getAttribute("bits")),
                        e.getAttribute("strength")));
            }
        }
        NodeList reneg = doc.getElementsByTagName("renegotiation");
        boolean insecure = reneg.getLength() > 0 && "1".equals(((Element) reneg.item(0)).getAttribute("supported"))
                && !"1".equals(((Element) reneg.item(0)).getAttribute("secure"));
        NodeList subjects = doc.getElementsByTagName("subject");
        String subject = subjects.getLength() > 0 ? subjects.item(0).getTextContent().strip() : "";
        return new Report(List.copyOf(protocols), List.copyOf(ciphers), insecure, subject, xml);
    }
}
