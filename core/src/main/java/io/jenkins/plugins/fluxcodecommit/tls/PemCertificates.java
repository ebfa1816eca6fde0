package io.jenkins.plugins.fluxcodecommit.tls;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the certificates of a CA file: PEM blocks, with any text between them (as in the bundles
 * distributions ship). Every refusal names the file and what is wrong with it, never its content:
 * a file given by mistake may hold a secret.
 */
final class PemCertificates {
    /** Far above any CA bundle (the JDK's is under 200 KiB): a bigger file is not one. */
    private static final long MAX_SIZE = 16L * 1024 * 1024;

    private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----$");
    private static final Set<String> CERTIFICATE_LABELS =
            Set.of("CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE");
    private static final String FIX = "Give a PEM file with the CA certificate(s), each a -----BEGIN CERTIFICATE-----"
            + " block, as openssl x509 writes it; the path is on the machine where the operation runs (for a"
            + " Jenkins step: its agent, relative to the workspace).";

    private PemCertificates() {}

    /** One {@code -----BEGIN LABEL-----} block; {@code complete} when its END line was found. */
    private record Block(String label, int line, String base64, boolean complete) {}

    static List<X509Certificate> read(String file) {
        List<Block> blocks = blocks(text(file));
        // A private key anywhere is refused before anything is decoded: it was given by mistake.
        for (Block block : blocks) {
            if (block.label().contains("PRIVATE KEY")) {
                throw new InvalidInputException(
                        "The CA file " + file + " holds a private key (" + block.label() + "), not a CA certificate.",
                        "Give the CA's certificate only (-----BEGIN CERTIFICATE-----); a private key is never"
                                + " needed to trust a server, and should not be handed to this tool.");
            }
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Set<String> otherLabels = new TreeSet<>();
        for (Block block : blocks) {
            if (!block.complete()) {
                throw new InvalidInputException(
                        "The CA file " + file + " is cut short: its " + block.label() + " block at line " + block.line()
                                + " has no '-----END " + block.label() + "-----' line.",
                        "Copy the whole certificate, from its BEGIN line to its END line. " + FIX);
            }
            if (CERTIFICATE_LABELS.contains(block.label())) {
                certificates.add(certificate(file, block.base64(), certificates.size() + 1, block.line()));
            } else {
                otherLabels.add(block.label());
            }
        }
        if (certificates.isEmpty()) {
            boolean der = looksLikeDer(file);
            throw new InvalidInputException(
                    "The CA file " + file + " holds no PEM certificate"
                            + (otherLabels.isEmpty() ? "" : " (only " + String.join(", ", otherLabels) + ")")
                            + (der ? "; it looks like a binary (DER) certificate" : "") + ".",
                    (der ? "Convert it: openssl x509 -inform der -in " + file + " -out ca.pem. " : "") + FIX);
        }
        return certificates;
    }

    private static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher begin = BEGIN.matcher(lines[i].strip());
            if (!begin.matches()) {
                continue;
            }
            String label = begin.group(1);
            String end = "-----END " + label + "-----";
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            while (j < lines.length && !lines[j].strip().startsWith("-----")) {
                body.append(lines[j].strip());
                j++;
            }
            boolean complete = j < lines.length && lines[j].strip().equals(end);
            blocks.add(new Block(label, i + 1, body.toString(), complete));
            // A BEGIN line where the END should be starts the next block.
            i = complete ? j : j - 1;
        }
        return blocks;
    }

    private static X509Certificate certificate(String file, String base64, int number, int line) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw damaged(file, number, line);
        }
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw damaged(file, number, line);
        }
    }

    private static InvalidInputException damaged(String file, int number, int line) {
        return new InvalidInputException(
                "Certificate " + number + " of the CA file " + file + " (line " + line
                        + ") is not a valid X.509 certificate: it is damaged or cut short.",
                "Copy the certificate again, unchanged (openssl x509 -in " + file + " -noout -subject must read it).");
    }

    private static String text(String file) {
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            throw new InvalidInputException("The CA file " + file + " does not exist.", FIX);
        }
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(
                    "The CA file " + file + " is a directory, not a file.",
                    "Give the PEM file in it (for a directory of certificates, concatenate them into one file). "
                            + FIX);
        }
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_SIZE) {
                throw new InvalidInputException(
                        "The CA file " + file + " is larger than " + MAX_SIZE / (1024 * 1024)
                                + " MiB: it is not a CA bundle.",
                        FIX);
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "The CA file " + file + " cannot be read" + (Files.isReadable(path) ? "." : ": permission denied."),
                    "Check the path and that the user running the operation may read it.");
        }
        if (bytes.length == 0) {
            throw new InvalidInputException("The CA file " + file + " is empty.", FIX);
        }
        int start =
                bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf
                        ? 3
                        : 0;
        // ISO-8859-1 maps every byte: a binary file is refused as having no PEM block, not with a
        // decoding error.
        return new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\n")
                .replace('\r', '\n');
    }

    private static boolean looksLikeDer(String file) {
        try (var in = Files.newInputStream(Path.of(file))) {
            int first = in.read();
            int second = in.read();
            // A DER certificate is a SEQUENCE with a long-form length.
            return first == 0x30 && (second & 0x80) != 0;
        } catch (IOException e) {
            return false;
        }
    }
}
