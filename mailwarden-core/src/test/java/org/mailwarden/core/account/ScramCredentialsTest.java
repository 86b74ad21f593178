package org.mailwarden.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramCredentialsTest {

    @Test
    void hiIsPbkdf2HmacSha256() {
        // RFC 7914 §11 PBKDF2-HMAC-SHA256 test vector (P="passwd", S="salt", c=1), first 32 bytes.
        byte[] dk = ScramCredentials.hi("passwd".getBytes(StandardCharsets.US_ASCII), "salt".getBytes(StandardCharsets.US_ASCII), 1);
        assertThat(HexFormat.of().formatHex(dk)).isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    @Test
    void serialisesInPostgresqlFormatAndParsesBack() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramCredentials c = ScramCredentials.derive("pencil", salt, 4096);
        String s = c.serialize();
        assertThat(s).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
        assertThat(ScramCredentials.parse(s)).isEqualTo(c);
        assertThat(c.toString()).doesNotContain(Base64.getEncoder().encodeToString(c.storedKey()));
    }

    @Test
    void newPasswordsGetASaltAndTheDefaultIterations() {
        ScramCredentials a = ScramCredentials.derive("pencil");
        assertThat(a.iterations()).isEqualTo(ScramCredentials.DEFAULT_ITERATIONS);
        assertThat(a.salt()).hasSize(16);
        assertThat(ScramCredentials.derive("pencil").salt()).isNotEqualTo(a.salt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "SCRAM-SHA-1$4096:c2FsdHNhbHQ=$a:b", "SCRAM-SHA-256$100:c2FsdHNhbHQ=$AAAA:AAAA",
            "SCRAM-SHA-256$4096:c2FsdHNhbHQ=$AAAA:AAAA", "SCRAM-SHA-256$4096:c2FsdHNhbHQ=$!!!:AAAA", "SCRAM-SHA-256$x:a$b:c"})
    void refusesMalformedSecrets(String bad) {
        assertThatThrownBy(() -> ScramCredentials.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
}
