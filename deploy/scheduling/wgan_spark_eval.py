"""Airflow DAG: score every new logged step of every wgan-spark run each hour, then redraw the report.

Copy this file into the DAGs folder. It needs the apache-airflow-providers-apache-spark package and a Spark
connection (``spark_default``: master yarn, or spark://host:7077) whose spark-submit reaches the cluster. Set the
Airflow Variables ``wgan_spark_jar`` (the application jar, spark-jobs/target/wgan-spark.jar, e.g. on HDFS),
``wgan_spark_runs`` (a glob of run folders), ``wgan_spark_table`` and ``wgan_spark_report`` (Hadoop paths).

eval score is idempotent (a run that adds nothing succeeds) and takes a lock on the table: exit code 5 means another
job holds it, and the task is retried. max_active_runs=1 keeps Airflow itself from overlapping two runs.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MAIN = "org.wganspark.cli.Main"
# What conf/spark-defaults.conf sets for bin/wgan-spark: Kryo with wgan-spark's registrator, the Java 17 module
# openings Spark and ND4J need, the vector API, one OpenMP thread per task.
OPENS = (
    "-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
)
JAVA = "-Djava.awt.headless=true --add-modules=jdk.incubator.vector " + OPENS
CONF = {
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryo.registrator": "org.wganspark.spark.WganKryoRegistrator",
    "spark.executorEnv.OMP_NUM_THREADS": "1",
    "spark.driver.extraJavaOptions": JAVA,
    "spark.executor.extraJavaOptions": JAVA,
}

with DAG(
    dag_id="wgan_spark_eval",
    description="Score new wgan-spark checkpoints against the whole training set; redraw the report",
    schedule=timedelta(hours=1),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["wgan-spark"],
) as dag:
    score = SparkSubmitOperator(
        task_id="eval_score",
        application="{{ var.value.wgan_spark_jar }}",
        java_class=MAIN,
        conf=CONF,
        driver_memory="8g",
        executor_memory="8g",
        application_args=[
            "eval", "score",
            "--runs", "{{ var.value.wgan_spark_runs }}",
            "--table", "{{ var.value.wgan_spark_table }}",
        ],
    )
    report = SparkSubmitOperator(
        task_id="eval_report",
        application="{{ var.value.wgan_spark_jar }}",
        java_class=MAIN,
        conf=CONF,
        driver_memory="4g",
        application_args=[
            "eval", "report",
            "--table", "{{ var.value.wgan_spark_table }}",
            "--out", "{{ var.value.wgan_spark_report }}",
        ],
    )
    score >> report
