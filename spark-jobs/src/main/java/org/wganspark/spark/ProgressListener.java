package org.wganspark.spark;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Our progress lines on stderr in place of Spark's INFO flood: tasks done per stage (at most one line
 * every {@code intervalMillis}), executors joining and leaving, failed tasks that Spark will retry.
 */
public final class ProgressListener extends SparkListener {

    private static final String BAD_INPUT = "org.wganspark.io.BadInputException";

    private final PrintStream out;
    private final long intervalMillis;
    private volatile int stageTasks;
    private volatile int stageDone;
    private volatile long stageStart;
    private volatile long lastLine;

    public ProgressListener(PrintStream out, long intervalMillis) {
        this.out = out;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted event) {
        stageTasks = event.stageInfo().numTasks();
        stageDone = 0;
        stageStart = System.currentTimeMillis();
        lastLine = stageStart;
        out.printf(Locale.ROOT, "[spark] stage %d started: %d tasks%n", event.stageInfo().stageId(), stageTasks);
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
        if (!event.taskInfo().successful()) {
            String reason = event.reason() instanceof org.apache.spark.TaskFailedReason f ? f.toErrorString() : String.valueOf(event.reason());
            if (reason.contains(BAD_INPUT)) {
                return;  // bad input fails every attempt the same way; the CLI reports it once
            }
            out.printf(Locale.ROOT, "[spark] task %d of stage %d (attempt %d) failed on executor %s: %s%n", event.taskInfo().index(),
                    event.stageId(), event.taskInfo().attemptNumber() + 1, event.taskInfo().executorId(), firstLine(reason));
            return;
        }
        stageDone++;
        long now = System.currentTimeMillis();
        if (now - lastLine >= intervalMillis) {
            lastLine = now;
            out.printf(Locale.ROOT, "[spark] stage %d: %d/%d tasks done, %.1f s%n", event.stageId(), stageDone, stageTasks,
                    (now - stageStart) / 1000.0);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        if (System.currentTimeMillis() - stageStart >= intervalMillis) {
            out.printf(Locale.ROOT, "[spark] stage %d finished: %d tasks, %.1f s%n", event.stageInfo().stageId(),
                    event.stageInfo().numTasks(), (System.currentTimeMillis() - stageStart) / 1000.0);
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded event) {
        out.printf(Locale.ROOT, "[spark] executor %s up on %s (%d cores)%n", event.executorId(), event.executorInfo().executorHost(),
                event.executorInfo().totalCores());
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
        out.printf(Locale.ROOT, "[spark] executor %s lost: %s%n", event.executorId(), event.reason());
    }
}
