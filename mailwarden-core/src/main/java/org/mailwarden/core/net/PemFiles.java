package org.mailwarden.core.net;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files administrators get from their CA or from certbot: a certificate chain
 * (leaf first) and a private key in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}) form. Other blocks in the files (EC parameters, text
 * comments) are skipped; encrypted keys are refused with a hint, since a server that starts unattended
 * has nobody to type the pass phrase.
 */
final class PemFiles {

    /** Certificate and key files are small; anything bigger is the wrong file. */
    private static final long MAX_FILE_SIZE = 1024 * 1024;

    private PemFiles() {
    }

    /** The certificate chain in {@code file}, leaf first. */
    static List<X509Certificate> readChain(Path file) throws TlsException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : readObjects(file, "certificate")) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException(file + ": a certificate in the file is damaged: " + e.getMessage()
                            + " (replace it with the PEM file your certificate authority issued)", e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsException(file + ": no PEM certificate (BEGIN CERTIFICATE) found (give the file with"
                    + " the server certificate, followed by its intermediate certificates)");
        }
        return chain;
    }

    /** The private key in {@code file}. */
    static PrivateKey readKey(Path file) throws TlsException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : readObjects(file, "private key")) {
            try {
                switch (object) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        // SEC1 EC keys may omit the public half, so take only the private key info
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encryptedKey(file);
                    case PEMEncryptedKeyPair encrypted -> throw encryptedKey(file);
                    default -> {
                        // EC parameters, certificates in a combined file: not the key
                    }
                }
            } catch (IOException e) {
                if (e instanceof TlsException tls) {
                    throw tls;
                }
                throw new TlsException(file + ": the private key cannot be decoded: " + e.getMessage()
                        + " (give an RSA or EC key in PEM form)", e);
            }
        }
        throw new TlsException(file + ": no PEM private key (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or"
                + " BEGIN EC PRIVATE KEY) found (give the key file that belongs to the certificate)");
    }

    private static TlsException encryptedKey(Path file) {
        return new TlsException(file + ": the private key is encrypted with a pass phrase (decrypt it once with"
                + " 'openssl pkey -in key.pem -out key.pem' and keep the file readable only by mailwarden)");
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return algorithm == null;
        }
        try {
            byte[] probe = "mailwarden key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<Object> readObjects(Path file, String what) throws TlsException {
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new TlsException(file + ": larger than 1 MiB, which is no " + what + " file (check the path)");
            }
            List<Object> objects = new ArrayList<>();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                 PEMParser parser = new PEMParser(reader)) {
                for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                    objects.add(object);
                }
            }
            return objects;
        } catch (NoSuchFileException e) {
            throw new TlsException(file + ": the " + what + " file does not exist (check the path in the [tls]"
                    + " section of the config file)", e);
        } catch (AccessDeniedException e) {
            throw new TlsException(file + ": permission denied reading the " + what + " file (make it readable"
                    + " by the user running mailwarden)", e);
        } catch (TlsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsException(file + ": not a valid PEM " + what + " file: " + e.getMessage()
                    + " (give a file with -----BEGIN ...----- blocks)", e);
        }
    }

    /** Writes {@code chain} (readable by all) and {@code key} (mode 0600 from the moment it exists). */
    static void write(List<X509Certificate> chain, PrivateKey key, Path certFile, Path keyFile) throws IOException {
        StringWriter keyPem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(keyPem)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        StringWriter certPem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(certPem)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        }
        writeAtomically(keyFile, keyPem.toString(), true);
        writeAtomically(certFile, certPem.toString(), false);
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
            writer.write(text);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
