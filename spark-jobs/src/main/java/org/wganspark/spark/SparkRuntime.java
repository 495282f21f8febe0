package org.wganspark.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a Spark session is made. Under spark-submit the master and confs come from it; in the
 * local JVM the master defaults to {@code local[*]} and everything binds to 127.0.0.1. Kryo with the
 * project's registrator is always on.
 */
public final class SparkRuntime {

    private SparkRuntime() {
    }

    /**
     * @param master   used only when no {@code spark.master} is set (spark-submit sets it)
     * @param extra    further Spark confs (from the experiment config's {@code spark.conf})
     * @param progress print our progress lines to stderr
     */
    public static SparkSession session(String appName, String master, Map<String, String> extra, boolean progress) {
        SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (active != null && !active.sparkContext().isStopped()) {
            return active;
        }
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.app.name", appName);
        boolean local = conf.get("spark.master").startsWith("local");
        if (local) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", WganKryoRegistrator.class.getName());
        extra.forEach(conf::set);
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        if (progress) {
            session.sparkContext().addSparkListener(new ProgressListener(System.err, 2000));
        }
        return session;
    }

    public static JavaSparkContext context(SparkSession session) {
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }
}
