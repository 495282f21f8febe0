package org.wganspark.train.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.BarrierTaskContext;

/**
 * The workers of one barrier stage averaging their states among themselves, without the driver: each sends its
 * state to every other worker over a direct TCP connection and averages all of them in partition order
 * ({@link ParameterAveraging#average}), so every worker holds the same bits the driver's average would give.
 * The driver path moves a state four times per worker and round (task result to the driver, Kryo, broadcast back
 * in 4 MB pieces, deserialization); this one moves it once per peer, raw floats. All-to-all: P - 1 sends per worker
 * and round, fine for the handful of workers parameter averaging is run with.
 *
 * <p>Addresses are exchanged with {@link BarrierTaskContext#allGather}; worker i connects to every worker after
 * it and accepts from every worker before it, and each connection proves it comes from a task of the same stage
 * attempt ({@link PeerHandshake}) before a state goes over it. A task Spark kills (another task of the stage failed) stops
 * waiting: Spark kills the rest of a failed barrier stage without interrupting their threads, so a watch closes the
 * channels once the task is marked killed. Without it a worker waiting in {@code accept} for a peer whose executor
 * died keeps its task slot, and the stage's rerun, which needs every slot, never starts.
 */
final class PeerExchange implements AutoCloseable {

    private static final int MAGIC = PeerHandshake.MAGIC;

    private final int partition;
    /** Partitions holding data, ascending; the workers that exchange. */
    private final int[] members;
    /** The channel to members[k] (null at this worker's own index). */
    private final SocketChannel[] channels;
    private final ExecutorService senders;
    private final KillWatch watch;
    /** Reused from round to round: a state is the same size every round (35 MB in the Fig. 5 setting). */
    private ByteBuffer sendBuffer;
    private final ByteBuffer[] receiveBuffers;

    private PeerExchange(int partition, int[] members, SocketChannel[] channels, KillWatch watch) {
        this.partition = partition;
        this.members = members;
        this.channels = channels;
        this.watch = watch;
        this.receiveBuffers = new ByteBuffer[members.length];
        this.senders = members.length > 2 ? Executors.newFixedThreadPool(members.length - 1, daemon("wgan-peer-send"))
                : Executors.newSingleThreadExecutor(daemon("wgan-peer-send"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** What a task tells the other tasks of its stage and hears back from all: {@link BarrierTaskContext#allGather}. */
    interface Gather {
        String[] allGather(String message);
    }

    /**
     * Joins the stage's exchange (every task of the stage must call this once); returns null for a worker without
     * data, which takes no part in the averages.
     */
    static PeerExchange join(BarrierTaskContext context, String host, boolean hasData) throws IOException {
        return join(context, context::allGather, host, hasData);
    }

    /** {@link #join(BarrierTaskContext, String, boolean)} with the announcements going through {@code gather}. */
    static PeerExchange join(BarrierTaskContext context, Gather gather, String host, boolean hasData) throws IOException {
        int partition = context.partitionId();
        ServerSocketChannel server = null;
        KillWatch watch = null;
        boolean joined = false;
        try {
            String mine;
            if (hasData) {
                watch = new KillWatch(context);
                server = watch.add(ServerSocketChannel.open());
                server.bind(new InetSocketAddress(host, 0), 64);
                mine = partition + " " + host + " " + ((InetSocketAddress) server.getLocalAddress()).getPort() + " " + PeerHandshake.nonce();
            } else {
                mine = partition + " -";
            }
            String[] all = gather.allGather(mine);
            List<String[]> withData = new ArrayList<>();
            for (String entry : all) {
                String[] f = entry.split(" ");
                if (f.length == 4) {
                    withData.add(f);
                }
            }
            withData.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
            if (!hasData) {
                return null;
            }
            int[] members = new int[withData.size()];
            String[] nonces = new String[members.length];
            int self = -1;
            for (int k = 0; k < members.length; k++) {
                members[k] = Integer.parseInt(withData.get(k)[0]);
                nonces[k] = withData.get(k)[3];
                if (members[k] == partition) {
                    self = k;
                }
            }
            PeerHandshake handshake = PeerHandshake.forStage(context.stageId(), context.stageAttemptNumber(), nonces);
            SocketChannel[] channels = new SocketChannel[members.length];
            // connect to the later members first (their servers already listen), then accept the earlier ones
            for (int k = self + 1; k < members.length; k++) {
                SocketChannel c = watch.add(SocketChannel.open());
                c.connect(new InetSocketAddress(withData.get(k)[1], Integer.parseInt(withData.get(k)[2])));
                c.socket().setTcpNoDelay(true);
                handshake.prove(c, partition, members[k]);
                channels[k] = c;
            }
            for (int accepted = 0; accepted < self; ) {
                SocketChannel c = watch.add(server.accept());
                c.socket().setTcpNoDelay(true);
                int k = verifiedMember(handshake, c, partition, members, watch);
                if (k < 0 || k >= self || channels[k] != null) {
                    System.err.println("[peers] partition " + partition + ": refused a connection from " + c.getRemoteAddress()
                            + " that did not prove to be a peer of this stage");
                    c.close();
                    continue;
                }
                channels[k] = c;
                accepted++;
            }
            joined = true;
            return new PeerExchange(partition, members, channels, watch);
        } catch (java.nio.channels.ClosedChannelException e) {
            throw watch != null && watch.fired() ? new IOException("task killed while joining its peers", e) : e;
        } finally {
            if (server != null) {
                server.close();
            }
            if (!joined && watch != null) {
                watch.close();
            }
        }
    }

    /** The index in {@code members} of the peer the connection proved to be, or -1 (a stranger, a wrong answer, no answer). */
    private static int verifiedMember(PeerHandshake handshake, SocketChannel c, int partition, int[] members, KillWatch watch) throws IOException {
        int from = handshake.verify(c, partition);
        if (watch.fired()) {
            throw new java.nio.channels.AsynchronousCloseException();
        }
        return from < 0 ? -1 : java.util.Arrays.binarySearch(members, from);
    }

    /**
     * Polls the task's kill flag and closes the registered channels once it is set, which ends any blocking
     * accept, connect, read or write on them with a ClosedChannelException.
     */
    private static final class KillWatch implements AutoCloseable {

        private static final long POLL_MILLIS = 200;
        private final List<java.io.Closeable> closeables = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(daemon("wgan-peer-watch"));
        private volatile boolean fired;

        KillWatch(org.apache.spark.TaskContext context) {
            timer.scheduleWithFixedDelay(() -> {
                if (context.isInterrupted()) {
                    fired = true;
                    closeAll();
                }
            }, POLL_MILLIS, POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        <T extends java.io.Closeable> T add(T closeable) {
            closeables.add(closeable);
            return closeable;
        }

        boolean fired() {
            return fired;
        }

        private void closeAll() {
            for (java.io.Closeable c : closeables) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing to unblock: nothing left to tell
                }
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
            closeAll();
        }
    }

    /** True for the member with the lowest partition, which hands the stage's result to the driver. */
    boolean first() {
        return members[0] == partition;
    }

    /** This worker's state and every other member's, averaged in partition order: the same bits on every member. */
    TrainingState average(TrainingState mine) throws IOException {
        ByteBuffer payload = encode(mine);  // header and floats, in sendBuffer
        List<Future<?>> sends = new ArrayList<>();
        for (SocketChannel c : channels) {
            if (c != null) {
                ByteBuffer view = payload.duplicate();
                sends.add(senders.submit(() -> {
                    try {
                        while (view.hasRemaining()) {
                            c.write(view);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
        }
        List<TrainingState> parts = new ArrayList<>(members.length);
        for (int k = 0; k < members.length; k++) {
            parts.add(channels[k] == null ? mine : receive(k));
        }
        for (Future<?> f : sends) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending to a peer", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("sending to a peer of partition " + partition + " failed", e.getCause());
            }
        }
        return TrainingState.average(parts);
    }

    private ByteBuffer encode(TrainingState s) {
        float[][] arrays = {s.generator(), s.generatorAdam(), s.critic(), s.criticAdam(), s.criticSpectral()};
        long bytes = 4 + 4 + 4 + 8 + 4L * arrays.length;
        for (float[] a : arrays) {
            bytes += 4L * a.length;
        }
        sendBuffer = sized(sendBuffer, Math.toIntExact(4 + bytes));
        ByteBuffer b = sendBuffer;
        b.putInt(Math.toIntExact(bytes)).putInt(MAGIC).putInt(s.criticSteps()).putInt(s.generatorSteps()).putDouble(s.criticLoss());
        for (float[] a : arrays) {
            b.putInt(a.length);
            b.asFloatBuffer().put(a);
            b.position(b.position() + 4 * a.length);
        }
        return b.flip();
    }

    private TrainingState receive(int k) throws IOException {
        SocketChannel c = channels[k];
        int bytes = readFully(c, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)).flip().getInt();
        receiveBuffers[k] = sized(receiveBuffers[k], bytes);
        ByteBuffer b = readFully(c, receiveBuffers[k]).flip();
        if (b.getInt() != MAGIC) {
            throw new IOException("a peer sent something that is not a training state");
        }
        int criticSteps = b.getInt();
        int generatorSteps = b.getInt();
        double criticLoss = b.getDouble();
        float[][] arrays = new float[5][];
        for (int f = 0; f < arrays.length; f++) {
            arrays[f] = new float[b.getInt()];
            b.asFloatBuffer().get(arrays[f]);
            b.position(b.position() + 4 * arrays[f].length);
        }
        return new TrainingState(arrays[0], arrays[1], arrays[2], arrays[3], criticSteps, generatorSteps, criticLoss, arrays[4]);
    }

    /** A cleared direct buffer of exactly {@code bytes} bytes, the given one when it is large enough. */
    private static ByteBuffer sized(ByteBuffer buffer, int bytes) {
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear().limit(bytes);
        return buffer;
    }

    private static ByteBuffer readFully(SocketChannel c, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (c.read(into) < 0) {
                throw new IOException("a peer closed its connection mid-exchange (its task failed or its executor was lost)");
            }
        }
        return into;
    }

    @Override
    public void close() {
        senders.shutdownNow();
        watch.close();
    }
}
