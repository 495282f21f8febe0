package org.wganspark.spark;

import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** One local[2] session for the unit tests, Kryo with registrationRequired, as the issue asks. */
public final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkRuntime.session("wgan-spark tests", "local[2]",
                    Map.of("spark.kryo.registrationRequired", "true", "spark.ui.enabled", "false",
                            "spark.sql.shuffle.partitions", "4"), false);
        }
        return session;
    }

    public static JavaSparkContext context() {
        return SparkRuntime.context(session());
    }
}
