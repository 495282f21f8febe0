package org.wganspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.PatchStats;
import scala.reflect.ClassTag$;

class KryoRegistrationTest {

    private static SerializerInstance kryo() {
        SparkConf conf = new SparkConf(false).set("spark.kryo.registrator", WganKryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true");
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance s, T value) {
        ByteBuffer bytes = s.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return (T) s.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void wireRecordsRoundTripWithRegistrationRequired() {
        SerializerInstance s = kryo();
        FloatBlock b = new FloatBlock(12345678901L, 2, 3, 7, new float[] {1, 2, 3, 4, 5, Float.NaN});
        FloatBlock back = roundTrip(s, b);
        assertEquals(b.firstRow, back.firstRow);
        assertEquals(7, back.group);
        assertArrayEquals(b.values, back.values);
        PatchStats st = new PatchStats(5, 3, 1.5, 2.5, -1, 1, 0xdeadbeefL, new String[] {"0", "1"});
        PatchStats stBack = roundTrip(s, st);
        assertEquals(st.checksum(), stBack.checksum());
        assertArrayEquals(st.executors(), stBack.executors());
        FloatBlock[] arr = roundTrip(s, new FloatBlock[] {b, b});
        assertEquals(2, arr.length);
    }

    @Test
    void anUnregisteredClassFailsSoTheFlagIsInForce() {
        SerializerInstance s = kryo();
        assertThrows(IllegalArgumentException.class, () -> roundTrip(s, new java.util.concurrent.atomic.AtomicLong(3)));
    }

    @Test
    void aSparkJobWithAnUnregisteredResultFailsOnTheExecutor() {
        // The shared test session runs with registrationRequired=true: this proves it reaches the tasks.
        SparkException e = assertThrows(SparkException.class, () -> TestSpark.context().parallelize(List.of(1, 2), 2)
                .map(i -> new java.util.concurrent.atomic.AtomicLong(i)).collect());
        assertTrue(e.getMessage().contains("Class is not registered"), e.getMessage());
    }
}
