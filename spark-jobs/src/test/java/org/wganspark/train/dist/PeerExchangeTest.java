package org.wganspark.train.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wganspark.spark.TestSpark;
import scala.reflect.ClassTag$;

class PeerExchangeTest {

    /**
     * Partition 0 announces an address and fails before connecting, as a worker whose executor dies mid-join does;
     * partition 1 joins for real and waits in accept for it. Spark kills it without interrupting its thread.
     */
    private static final class DiesAfterAnnouncing extends scala.runtime.AbstractFunction2<Object, scala.collection.Iterator<Integer>,
            scala.collection.Iterator<Integer>> implements Serializable {
        @Override
        public scala.collection.Iterator<Integer> apply(Object index, scala.collection.Iterator<Integer> rows) {
            BarrierTaskContext context = BarrierTaskContext.get();
            if ((Integer) index == 0) {
                context.allGather("0 127.0.0.1 9 " + PeerHandshake.nonce());
                throw new IllegalStateException("partition 0 is gone");
            }
            try (PeerExchange peers = PeerExchange.join(context, "127.0.0.1", true)) {
                return scala.collection.JavaConverters.asScalaIterator(List.of(-1).iterator());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Two workers average states of all 1s and all 3s. With {@code strangers}, partition 0 first connects to
     * partition 1's exchange port twice as somebody outside the stage would: once with the magic-number hello that
     * used to be enough, once with an answer under a guessed key. Each worker returns its average's first critic and
     * third generator parameter, in thousandths, summed.
     */
    private static final class Averages extends scala.runtime.AbstractFunction2<Object, scala.collection.Iterator<Integer>,
            scala.collection.Iterator<Integer>> implements Serializable {
        private final boolean strangers;

        Averages(boolean strangers) {
            this.strangers = strangers;
        }

        @Override
        public scala.collection.Iterator<Integer> apply(Object index, scala.collection.Iterator<Integer> rows) {
            int partition = (Integer) index;
            BarrierTaskContext context = BarrierTaskContext.get();
            PeerExchange.Gather gather = message -> {
                String[] all = context.allGather(message);
                if (strangers && partition == 0) {
                    for (String entry : all) {
                        String[] f = entry.split(" ");
                        if (f[0].equals("1")) {
                            knock(new java.net.InetSocketAddress(f[1], Integer.parseInt(f[2])));
                        }
                    }
                }
                return all;
            };
            float v = 1 + 2 * partition;  // the mean is averaged into the first part's arrays: one array per field
            TrainingState mine = new TrainingState(new float[] {v, v, v}, new float[] {v}, new float[] {v, v}, new float[] {v}, 10, 2);
            try (PeerExchange peers = PeerExchange.join(context, gather, "127.0.0.1", true)) {
                TrainingState mean = peers.average(mine);
                return scala.collection.JavaConverters.asScalaIterator(List.of(Math.round(1000 * mean.critic()[0]) + Math.round(1000 * mean.generator()[2])).iterator());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static void knock(java.net.InetSocketAddress port) {
            try (java.nio.channels.SocketChannel hello = java.nio.channels.SocketChannel.open(port)) {
                hello.write(java.nio.ByteBuffer.allocate(8).putInt(PeerHandshake.MAGIC).putInt(0).flip());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            try (java.nio.channels.SocketChannel guess = java.nio.channels.SocketChannel.open(port)) {
                PeerHandshake.forStage(0, 0, new String[] {PeerHandshake.nonce()}).prove(guess, 0, 1);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Every task of the stage meets at one barrier, so the stage needs every task slot at once. */
    private static final class Meets extends scala.runtime.AbstractFunction2<Object, scala.collection.Iterator<Integer>,
            scala.collection.Iterator<Integer>> implements Serializable {
        @Override
        public scala.collection.Iterator<Integer> apply(Object index, scala.collection.Iterator<Integer> rows) {
            return scala.collection.JavaConverters.asScalaIterator(List.of(BarrierTaskContext.get().allGather("x").length).iterator());
        }
    }

    /**
     * The sum of what the stage's two tasks return, through a one-partition shuffle: a barrier stage that Spark
     * reruns on failure, as ParameterAveraging's is.
     */
    private static long runBarrier(scala.Function2<Object, scala.collection.Iterator<Integer>, scala.collection.Iterator<Integer>> task) {
        JavaRDD<Integer> two = TestSpark.context().parallelize(List.of(0, 1), 2);
        return JavaRDD.fromRDD(two.rdd().barrier().mapPartitionsWithIndex(task, true, ClassTag$.MODULE$.apply(Integer.class)),
                ClassTag$.MODULE$.apply(Integer.class)).repartition(1).map(Integer::longValue).reduce(Long::sum);
    }

    @Test
    @Timeout(120)
    void aWorkerWaitingForAFailedPeerGivesItsTaskSlotBack() {
        // every rerun of the stage needs both local[2] slots; it would wait for ever while the killed worker of the
        // attempt before still sat in accept
        SparkException failed = assertThrows(SparkException.class, () -> runBarrier(new DiesAfterAnnouncing()));
        assertTrue(failed.getMessage().contains("partition 0 is gone"), failed.getMessage());
        assertEquals(4, runBarrier(new Meets()));
    }

    @Test
    @Timeout(120)
    void strangersAtAWorkersPortAreRefusedAndTheAverageIsUnchanged() {
        // both workers: (1 + 3) / 2 = 2 in both parameters, 4000 thousandths each
        assertEquals(8000, runBarrier(new Averages(false)));
        assertEquals(8000, runBarrier(new Averages(true)));
    }
}
