package org.wganspark.train.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may join a {@link PeerExchange}: a challenge and response under a key that only the tasks of one barrier stage
 * attempt know.
 *
 * <p>Every worker draws a fresh random nonce and announces it with its address through
 * {@code BarrierTaskContext.allGather}, which travels over Spark's RPC (authenticated when {@code spark.authenticate}
 * is on, as YARN sets it up). The stage key is SHA-256 over the stage, its attempt and all nonces in partition order,
 * so every task of the attempt derives the same key and nobody outside Spark's RPC can. On every connection the
 * accepting worker sends a random 16-byte challenge; the connecting worker answers with its partition and
 * HMAC-SHA256(key, challenge, from, to). A stranger who reaches the port knows no key; a captured answer does not fit
 * the next challenge, nor another attempt's key. A connection that fails the check is closed and the worker goes on
 * waiting for its real peers, so the round's result does not change.
 *
 * <p>What this does not do: the states that follow travel unencrypted and without a MAC, so a party that can read or
 * rewrite the traffic between executors is out of its reach; with {@code spark.network.crypto.enabled} the training
 * averages through the driver instead (see {@code TrainingRun.exchange}). The scheme is the textbook
 * challenge-response of RFC 2104 HMAC (Bellare, Canetti and Krawczyk, "Keying hash functions for message
 * authentication", CRYPTO 1996).
 */
final class PeerHandshake {

    static final int MAGIC = 0x57474153;  // "WGAS"
    static final int NONCE_BYTES = 32;
    static final int CHALLENGE_BYTES = 16;
    static final int ANSWER_BYTES = 4 + 4 + 32;
    /** How long an accepted connection may take to answer its challenge before it is dropped. */
    static final int ANSWER_MILLIS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    PeerHandshake(byte[] key) {
        this.key = key.clone();
    }

    /** A fresh nonce to announce, as hex (the allGather message is a string). */
    static String nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return HexFormat.of().formatHex(n);
    }

    /** The stage attempt's key from every member's nonce, in partition order. */
    static PeerHandshake forStage(int stageId, int stageAttempt, String[] noncesInPartitionOrder) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("wgan-spark peer exchange".getBytes(StandardCharsets.US_ASCII));
            sha.update(ByteBuffer.allocate(8).putInt(stageId).putInt(stageAttempt).array());
            for (String nonce : noncesInPartitionOrder) {
                sha.update(HexFormat.of().parseHex(nonce));
            }
            return new PeerHandshake(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The answer partition {@code from} gives to {@code challenge} when it connects to partition {@code to}. */
    byte[] answer(byte[] challenge, int from, int to) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(challenge);
            mac.update(ByteBuffer.allocate(8).putInt(from).putInt(to).array());
            return ByteBuffer.allocate(ANSWER_BYTES).putInt(MAGIC).putInt(from).put(mac.doFinal()).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** The connecting side: reads the challenge and answers it as partition {@code from} reaching {@code to}. */
    void prove(SocketChannel c, int from, int to) throws IOException {
        byte[] challenge = read(c, CHALLENGE_BYTES, 0);  // the peer may still be answering others: the kill watch ends a wait
        ByteBuffer out = ByteBuffer.wrap(answer(challenge, from, to));
        while (out.hasRemaining()) {
            c.write(out);
        }
    }

    /**
     * The accepting side: challenges the connection and returns the partition it proved to be, or -1 when it did not
     * answer in time, answered wrong, or closed or reset the connection. {@code to} is this worker's partition. Throws
     * only when this side's channel was closed (the task is being killed).
     */
    int verify(SocketChannel c, int to) throws java.nio.channels.ClosedChannelException {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(challenge);
        byte[] got;
        try {
            ByteBuffer out = ByteBuffer.wrap(challenge);
            while (out.hasRemaining()) {
                c.write(out);
            }
            got = read(c, ANSWER_BYTES, ANSWER_MILLIS);
        } catch (java.nio.channels.ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            if (!c.isOpen()) {
                throw new java.nio.channels.AsynchronousCloseException();
            }
            return -1;
        }
        int from = ByteBuffer.wrap(got).getInt(4);
        return MessageDigest.isEqual(got, answer(challenge, from, to)) ? from : -1;
    }

    /** Exactly {@code n} bytes, waiting at most {@code millis} for each read (0: no limit). */
    private static byte[] read(SocketChannel c, int n, int millis) throws IOException {
        c.socket().setSoTimeout(millis);
        InputStream in = c.socket().getInputStream();  // the socket adaptor's stream honours the timeout
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new java.io.EOFException("the connection closed during the peer handshake");
        }
        return b;
    }
}
