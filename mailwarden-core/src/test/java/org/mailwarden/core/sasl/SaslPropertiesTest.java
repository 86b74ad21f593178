package org.mailwarden.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mailwarden.core.account.Authenticator;

/** Hostile client messages never crash a mechanism and never authenticate. */
class SaslPropertiesTest {

    private final SaslMechanisms mechanisms = new SaslMechanisms(
            new Authenticator(new SaslMechanismsTest.Directory(), SaslMechanismsTest.FAST));

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> structured = Arbitraries.strings().withChars("nyp,=a23CDrcsvi\0u\u00e9").ofMaxLength(40)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, structured);
    }

    @Property(tries = 1000)
    void garbageNeverAuthenticates(@ForAll("messages") byte[] first, @ForAll("messages") byte[] second,
                                   @ForAll("mechanism") String name) {
        SaslMechanism m = mechanisms.create(name).orElseThrow();
        SaslStep step = m.start(first);
        if (step instanceof SaslStep.Challenge) {
            step = m.step(second);
        }
        if (step instanceof SaslStep.Challenge) {
            step = m.step(second);
        }
        assertThat(step).isNotInstanceOf(SaslStep.Success.class);
    }

    @Provide
    Arbitrary<String> mechanism() {
        return Arbitraries.of(List.of("PLAIN", "LOGIN", "SCRAM-SHA-256"));
    }
}
