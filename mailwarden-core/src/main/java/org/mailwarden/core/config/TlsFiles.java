package org.mailwarden.core.config;

import java.nio.file.Path;

/**
 * Where the server's PEM certificate chain and private key live. When neither file exists the server
 * generates a self-signed pair there on first start.
 */
public record TlsFiles(Path cert, Path key) {
}
