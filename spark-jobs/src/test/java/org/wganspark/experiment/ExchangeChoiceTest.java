package org.wganspark.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.wganspark.train.dist.ParameterAveraging.Exchange;

/** train.exchange against the cluster's settings: peers only where a barrier stage fits and Spark does not encrypt. */
class ExchangeChoiceTest {

    private static SparkConf conf(String... keyValues) {
        SparkConf conf = new SparkConf(false);
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.set(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    @Test
    void autoTakesThePeersWhereEveryPartitionHasASlot() {
        assertEquals(Exchange.PEERS, TrainingRun.exchange("auto", 2, conf(), 2));
        assertEquals(Exchange.DRIVER, TrainingRun.exchange("auto", 3, conf(), 2));
        assertEquals(Exchange.DRIVER, TrainingRun.exchange("auto", 1, conf(), 2));
        assertEquals(Exchange.DRIVER, TrainingRun.exchange("auto", 2, conf("spark.dynamicAllocation.enabled", "true"), 2));
    }

    @Test
    void withSparkEncryptionTheStatesGoThroughTheDriverAndTheLogSaysWhy() {
        SparkConf encrypted = conf("spark.authenticate", "true", "spark.network.crypto.enabled", "true");
        assertEquals(Exchange.DRIVER, TrainingRun.exchange("auto", 2, encrypted, 2));
        assertEquals(Exchange.DRIVER, TrainingRun.exchange("peers", 2, encrypted, 2));
        String line = TrainingRun.exchangeLine("peers", Exchange.DRIVER, 2, encrypted);
        assertTrue(line.contains("through the driver") && line.contains("spark.network.crypto.enabled"), line);
    }

    @Test
    void thePeersLineSaysWhetherTheKeyTravelsOverAuthenticatedRpc() {
        assertEquals(Exchange.PEERS, TrainingRun.exchange("peers", 2, conf("spark.authenticate", "true"), 2));
        assertTrue(TrainingRun.exchangeLine("peers", Exchange.PEERS, 2, conf("spark.authenticate", "true")).contains("authenticated RPC"));
        assertTrue(TrainingRun.exchangeLine("auto", Exchange.PEERS, 2, conf()).contains("spark.authenticate is off"));
    }
}
