package org.wganspark.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.exact.SparsePlan;

/** A sparse transport plan as one Parquet file (i, j, mass), written to a staging directory and renamed. */
final class PlanWriter {

    private PlanWriter() {
    }

    static void write(SparkSession spark, SparsePlan plan, OutputTarget target) {
        List<Row> rows = new ArrayList<>(plan.size());
        for (int k = 0; k < plan.size(); k++) {
            rows.add(RowFactory.create(plan.row()[k], plan.col()[k], plan.mass()[k]));
        }
        StructType schema = new StructType().add("i", DataTypes.IntegerType, false).add("j", DataTypes.IntegerType, false)
                .add("mass", DataTypes.DoubleType, false);
        try (OutputTarget.Staging staging = target.stage()) {
            spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(staging.path().toString());
            staging.commit();
        }
    }
}
