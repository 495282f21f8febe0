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
                context.allGather("0 127.0.0.1 9");
                throw new IllegalStateException("partition 0 is gone");
            }
            try (PeerExchange peers = PeerExchange.join(context, "127.0.0.1", true)) {
                return scala.collection.JavaConverters.asScalaIterator(List.of(-1).iterator());
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
}
