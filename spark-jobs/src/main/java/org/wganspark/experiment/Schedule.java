package org.wganspark.experiment;

/**
 * When a training run averages and when it logs: rounds of {@code averagingFrequency} critic steps, a logged step (the
 * sample metrics, a grid, the generated set, a checkpoint) every {@code logEvery} steps (a multiple of the frequency)
 * and at the end, {@code total} steps in all.
 */
public record Schedule(int total, int averagingFrequency, int logEvery) {

    /** Whether a run can follow this schedule: positive counts, log-every a multiple of the averaging frequency. */
    public boolean valid() {
        return total >= 1 && averagingFrequency >= 1 && logEvery >= 1 && logEvery % averagingFrequency == 0;
    }

    /**
     * The rounds from critic step {@code at} up to the next logged step (a multiple of logEvery, or the end), each of at
     * most the averaging frequency; only the first when {@code batched} is false (several workers: one job a round).
     */
    public int[] roundsToNextLog(int at, boolean batched) {
        java.util.List<Integer> steps = new java.util.ArrayList<>();
        int s = at;
        do {
            int k = Math.min(averagingFrequency, total - s);
            steps.add(k);
            s += k;
        } while (batched && s < total && s % logEvery != 0);
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether critic step {@code step} is a logged one. */
    public boolean logs(int step) {
        return step % logEvery == 0 || step == total;
    }
}
