package org.mailwarden.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.mailwarden.core.net.Connection;

class TraceHeadersTest {

    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 11, 27, 10, 5, 0, 0, ZoneOffset.UTC);

    @Test
    void protocolKeywordsFollowRfc3848AndRfc6531() {
        assertThat(TraceHeaders.protocol(false, false, false, false)).isEqualTo("SMTP");
        assertThat(TraceHeaders.protocol(true, false, false, false)).isEqualTo("ESMTP");
        assertThat(TraceHeaders.protocol(true, false, true, false)).isEqualTo("ESMTPS");
        assertThat(TraceHeaders.protocol(true, false, false, true)).isEqualTo("ESMTPA");
        assertThat(TraceHeaders.protocol(true, false, true, true)).isEqualTo("ESMTPSA");
        assertThat(TraceHeaders.protocol(true, true, true, true)).isEqualTo("UTF8SMTPSA");
    }

    @Test
    void receivedWithTlsAndSingleRecipient() throws Exception {
        String h = TraceHeaders.received(new TraceHeaders.Hop("client.example", true, InetAddress.getByName("192.0.2.7"),
                "mx.example.test", new Connection.TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384"), true, false, "Q1234",
                "bob@example.test", TIME));
        assertThat(h).isEqualTo("""
                Received: from client.example ([192.0.2.7])\r
                \t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r
                \tby mx.example.test (mailwarden) with ESMTPSA id Q1234\r
                \tfor <bob@example.test>;\r
                \tFri, 27 Nov 2026 10:05:00 +0000\r
                """);
    }

    @Test
    void receivedWithoutTlsOrRecipientAndIpv6Literal() throws Exception {
        String h = TraceHeaders.received(new TraceHeaders.Hop("c", false, InetAddress.getByName("2001:db8::1"),
                "mx", null, false, false, "Q9", null, TIME));
        assertThat(h).isEqualTo("Received: from c ([IPv6:2001:db8:0:0:0:0:0:1])\r\n\tby mx (mailwarden) with SMTP id Q9;\r\n"
                + "\tFri, 27 Nov 2026 10:05:00 +0000\r\n");
    }

    @Test
    void aHostileHeloCannotAddClausesOrComments() throws Exception {
        String h = TraceHeaders.received(new TraceHeaders.Hop("evil;by{x}=y", true, InetAddress.getByName("192.0.2.1"),
                "mx", null, false, false, "Q1", null, TIME));
        assertThat(h).startsWith("Received: from evil_by_x__y ([192.0.2.1])\r\n");
        assertThat(TraceHeaders.token("[IPv6:2001:db8::1]")).isEqualTo("[IPv6:2001:db8::1]");
    }

    @Test
    void returnPath() {
        assertThat(TraceHeaders.returnPath("a@b.test")).isEqualTo("Return-Path: <a@b.test>\r\n");
        assertThat(TraceHeaders.returnPath("")).isEqualTo("Return-Path: <>\r\n");
    }
}
