package org.wganspark.train.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The peer handshake over real loopback connections: a member gets in; a stranger, a wrong key and a replay do not. */
class PeerHandshakeTest {

    private static final String[] NONCES = {PeerHandshake.nonce(), PeerHandshake.nonce(), PeerHandshake.nonce()};
    private final PeerHandshake stage = PeerHandshake.forStage(7, 0, NONCES);
    private ServerSocketChannel server;

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** Partition 2 accepting one connection and checking it; the client side runs {@code client} on its channel. */
    private int acceptWith(ClientSide client) throws Exception {
        CompletableFuture<Void> side = CompletableFuture.runAsync(() -> {
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                client.run(c);
                if (c.isOpen()) {
                    c.read(ByteBuffer.allocate(1));  // hold the connection until the server has decided
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (SocketChannel accepted = server.accept()) {
            int from = stage.verify(accepted, 2);
            accepted.close();
            side.get(30, TimeUnit.SECONDS);
            return from;
        }
    }

    private interface ClientSide {
        void run(SocketChannel c) throws IOException;
    }

    private static byte[] read(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && c.read(b) >= 0) {
            // until n bytes
        }
        return b.array();
    }

    private static void write(SocketChannel c, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Test
    @Timeout(60)
    void aMemberOfTheStageProvesItsPartition() throws Exception {
        assertEquals(1, acceptWith(c -> stage.prove(c, 1, 2)));
    }

    @Test
    @Timeout(60)
    void theKeyDependsOnEveryNonceAndOnTheStageAttempt() {
        byte[] challenge = new byte[PeerHandshake.CHALLENGE_BYTES];
        byte[] answer = stage.answer(challenge, 1, 2);
        assertArrayEquals(answer, PeerHandshake.forStage(7, 0, NONCES.clone()).answer(challenge, 1, 2));
        assertFalse(Arrays.equals(answer, PeerHandshake.forStage(7, 1, NONCES).answer(challenge, 1, 2)), "another attempt");
        assertFalse(Arrays.equals(answer, PeerHandshake.forStage(8, 0, NONCES).answer(challenge, 1, 2)), "another stage");
        String[] other = NONCES.clone();
        other[2] = PeerHandshake.nonce();
        assertFalse(Arrays.equals(answer, PeerHandshake.forStage(7, 0, other).answer(challenge, 1, 2)), "another nonce");
        assertFalse(Arrays.equals(answer, stage.answer(challenge, 0, 2)), "another partition");
    }

    @Test
    @Timeout(60)
    void aStrangerWithTheOldMagicHelloIsRefused() throws Exception {
        // what a peer used to send: the magic number and a partition, nothing that needs the key
        assertEquals(-1, acceptWith(c -> {
            read(c, PeerHandshake.CHALLENGE_BYTES);
            write(c, Arrays.copyOf(ByteBuffer.allocate(8).putInt(PeerHandshake.MAGIC).putInt(1).array(), PeerHandshake.ANSWER_BYTES));
        }));
    }

    @Test
    @Timeout(60)
    void anAnswerUnderAnotherKeyIsRefused() throws Exception {
        PeerHandshake guess = PeerHandshake.forStage(7, 0, new String[] {PeerHandshake.nonce(), NONCES[1], NONCES[2]});
        assertEquals(-1, acceptWith(c -> guess.prove(c, 1, 2)));
    }

    @Test
    @Timeout(60)
    void aCapturedAnswerReplayedToANewChallengeIsRefused() throws Exception {
        byte[][] captured = new byte[1][];
        assertEquals(1, acceptWith(c -> {
            byte[] challenge = read(c, PeerHandshake.CHALLENGE_BYTES);
            captured[0] = stage.answer(challenge, 1, 2);
            write(c, captured[0]);
        }));
        assertEquals(-1, acceptWith(c -> {
            read(c, PeerHandshake.CHALLENGE_BYTES);
            write(c, captured[0]);
        }));
    }

    @Test
    @Timeout(60)
    void aConnectionThatClosesWithoutAnsweringIsRefused() throws Exception {
        assertEquals(-1, acceptWith(SocketChannel::close));
    }
}
