package org.wganspark.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.wganspark.runtime.AtomicOutput;

/** A sparse transport plan as one Parquet file (i, j, mass), written to a staging directory and renamed. */
final class PlanWriter {

    private PlanWriter() {
    }

    static void write(SparkSession spark, int[] rowIndex, int[] colIndex, double[] mass, String target) {
        List<Row> rows = new ArrayList<>(mass.length);
        for (int k = 0; k < mass.length; k++) {
            rows.add(RowFactory.create(rowIndex[k], colIndex[k], mass[k]));
        }
        StructType schema = new StructType().add("i", DataTypes.IntegerType, false).add("j", DataTypes.IntegerType, false)
                .add("mass", DataTypes.DoubleType, false);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path targetPath = new Path(target);
        Path staging = AtomicOutput.stagingDirectory(targetPath, hadoop);
        spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(staging.toString());
        AtomicOutput.commitDirectory(staging, targetPath, hadoop);
    }
}
