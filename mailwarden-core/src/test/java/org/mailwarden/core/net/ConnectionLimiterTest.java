package org.mailwarden.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void countsPerClientAndInTotal() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(3, 2));
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(ConnectionLimiter.Admission.CLIENT_FULL);
        assertThat(limiter.tryAcquire(ip("192.0.2.2"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        assertThat(limiter.tryAcquire(ip("192.0.2.3"))).isEqualTo(ConnectionLimiter.Admission.SERVER_FULL);
        limiter.release(ip("192.0.2.1"));
        assertThat(limiter.total()).isEqualTo(2);
        assertThat(limiter.count(ip("192.0.2.1"))).isEqualTo(1);
        assertThat(limiter.tryAcquire(ip("192.0.2.3"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(new ConnectionLimits(100, 2));
        assertThat(limiter.tryAcquire(ip("2001:db8:1:2::1"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        assertThat(limiter.tryAcquire(ip("2001:db8:1:2:ffff::9"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        assertThat(limiter.tryAcquire(ip("2001:db8:1:2:abcd::7"))).isEqualTo(ConnectionLimiter.Admission.CLIENT_FULL);
        assertThat(limiter.tryAcquire(ip("2001:db8:1:3::1"))).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        limiter.release(ip("2001:db8:1:2::1"));
        assertThat(limiter.count(ip("2001:db8:1:2::5"))).isEqualTo(1);
    }

    @Test
    void releaseWithoutAcquireIsABug() {
        ConnectionLimiter limiter = new ConnectionLimiter(ConnectionLimits.DEFAULT);
        assertThatThrownBy(() -> limiter.release(ip("192.0.2.1"))).isInstanceOf(IllegalStateException.class);
    }
}
