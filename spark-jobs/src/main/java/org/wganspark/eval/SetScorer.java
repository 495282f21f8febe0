package org.wganspark.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.io.Version;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.NearestNeighbours;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.CostScale;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.sliced.Sliced;
import org.wganspark.ot.sliced.SlicedResult;
import org.wganspark.ot.spark.EntropicOt;
import org.wganspark.ot.spark.ExactOt;

/**
 * The metrics of one generated set against a reference: the evaluation code of {@code eval score}. Exact metrics go
 * through {@link ExactOt} (pricing on the executors) and carry their certificate; sliced metrics use seeded
 * directions, so a set scores the same numbers every time. Without a Spark context ({@link #local}) the exact
 * metrics price in the driver's threads.
 */
public final class SetScorer {

    private final JavaSparkContext sc;
    private final Reference reference;
    private final EvalSettings settings;
    private final Consumer<String> progress;

    public SetScorer(JavaSparkContext sc, Reference reference, EvalSettings settings, Consumer<String> progress) {
        this.sc = sc;
        this.reference = reference;
        this.settings = settings;
        this.progress = progress;
    }

    /** A scorer in the driver's threads, without Spark jobs or progress lines: the in-run sample metrics of train and w1fe. */
    public static SetScorer local(Reference reference, EvalSettings settings) {
        return new SetScorer(null, reference, settings, line -> { });
    }

    /** The values of {@code metrics} for {@code generated}, in order (what the in-run sample metrics log). */
    public double[] values(PointSet generated, List<EvalMetric> metrics) {
        sliced = null;
        double[] values = new double[metrics.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = compute(metrics.get(k), generated).value;
        }
        return values;
    }

    /** The rows of {@code metrics} for {@code generated}, named (run, step); {@code source} is the file it came from. */
    public List<Score> score(String run, long step, String source, PointSet generated, List<EvalMetric> metrics) {
        List<Score> rows = new ArrayList<>();
        sliced = null;
        for (EvalMetric metric : metrics) {
            long t0 = System.nanoTime();
            Value v = compute(metric, generated);
            double seconds = (System.nanoTime() - t0) / 1e9;
            rows.add(new Score(run, step, metric.id(), metric.parameters(settings), reference.id(), v.value, v.certificate, v.status, v.detail,
                    generated.n(), v.generatedPoints, v.referencePoints, settings.seed(), Version.current(), seconds, Instant.now().toString(), source));
            progress.accept(String.format(Locale.ROOT, "%s step %d: %s = %.9g (%s, %.1f s)", run, step, metric.id(), v.value, v.status, seconds));
        }
        return rows;
    }

    /** The reference's patches at each grid location, extracted once for every set (local-patch-swd). */
    private PointSet[] referenceAtLocation;

    /** The sliced distances of the set being scored: swd and w1-upper-bound come from the same directions. */
    private SlicedResult sliced;

    private record Value(double value, double certificate, String status, String detail, long generatedPoints, long referencePoints) {
    }

    private Value compute(EvalMetric metric, PointSet generated) {
        return switch (metric) {
            case IMAGE_W1 -> exact(generated, reference.distinct(), reference.distinctWeights(), generated.n(), reference.images().n());
            case PATCH_W1 -> exact(patches(generated), reference.patches(), reference.patchWeights(), (long) generated.n() * geometry().locations(),
                    reference.patchCount());
            case PATCH_SINKHORN -> sinkhorn(patches(generated));
            case SWD, W1_UPPER_BOUND -> {
                if (sliced == null) {
                    sliced = Sliced.compute(Weights.uniform(generated.n()), generated, reference.distinctWeights(), reference.distinct(),
                            settings.directions(), settings.seed(), false);
                }
                SlicedResult s = sliced;
                yield new Value(metric == EvalMetric.SWD ? s.swd() : s.upperBound(), Double.NaN, "OK", "", generated.n(), reference.images().n());
            }
            case LOCAL_PATCH_SWD -> localPatchSwd(generated);
            case MEMORIZATION -> memorization(generated);
        };
    }

    private PatchGeometry geometry() {
        PatchGeometry g = reference.geometry();
        if (g != null) {
            return g;
        }
        return new PatchGeometry(reference.shape().channels(), reference.shape().height(), reference.shape().width(), settings.patchSize(),
                settings.patchStride());
    }

    private PointSet patches(PointSet images) {
        return PatchExtractor.pooled(images, geometry());
    }

    private Value exact(PointSet x, PointSet y, Weights b, long xPoints, long yPoints) {
        Deduplicated dx = Deduplicated.of(x, Weights.uniform(x.n()));
        ExactResult r = ExactOt.solve(sc, dx.weights(), dx.points(), b, y, Metric.EUCLIDEAN, ExactOptions.defaults(), sc == null,
                line -> progress.accept("  " + line));
        double certificate = r.certificate() == null ? Double.NaN : r.certificate().maxViolation();
        return new Value(r.cost(), certificate, r.status().name(), "", xPoints, yPoints);
    }

    private Value sinkhorn(PointSet x) {
        Deduplicated dx = Deduplicated.of(x, Weights.uniform(x.n()));
        PairwiseCost cost = new PairwiseCost(dx.points(), reference.patches(), Metric.EUCLIDEAN);
        double epsilon = settings.epsilon() * CostScale.quantile(cost, 0.5, 100_000, 7);
        try (EntropicOt ot = new EntropicOt(sc, false, line -> { })) {
            SinkhornResult r = ot.solve(dx.weights(), dx.points(), reference.patchWeights(), reference.patches(), Metric.EUCLIDEAN,
                    SinkhornOptions.of(epsilon), "");
            return new Value(r.transportCost(), Double.NaN, r.status().name(),
                    String.format(Locale.ROOT, "{\"epsilon\":%.6g,\"objective\":%.9g,\"marginal_error\":%.3g}", epsilon, r.objective(), r.marginalError()),
                    x.n(), reference.patchCount());
        }
    }

    private Value localPatchSwd(PointSet generated) {
        PatchGeometry g = geometry();
        int d = g.dimension();
        PointSet images = reference.images();
        if (referenceAtLocation == null) {
            referenceAtLocation = new PointSet[g.locations()];
            for (int location = 0; location < g.locations(); location++) {
                referenceAtLocation[location] = atLocation(images, g, location);
            }
        }
        double sum = 0;
        for (int location = 0; location < g.locations(); location++) {
            PointSet x = atLocation(generated, g, location);
            PointSet y = referenceAtLocation[location];
            sum += Sliced.compute(Weights.uniform(x.n()), x, Weights.uniform(y.n()), y, settings.directions(), settings.seed() + location, false).swd();
        }
        return new Value(sum / g.locations(), Double.NaN, "OK", "{\"locations\":" + g.locations() + ",\"dimension\":" + d + "}",
                (long) generated.n() * g.locations(), (long) images.n() * g.locations());
    }

    private static PointSet atLocation(PointSet images, PatchGeometry g, int location) {
        float[] out = new float[images.n() * g.dimension()];
        PatchExtractor.atLocation(images.values(), images.n(), g, location, out);
        double[] wide = null;
        if (images.isDouble()) {
            wide = new double[out.length];
            PatchExtractor.atLocation(images.doubles(), images.n(), g, location, wide);
        }
        return new PointSet(out, wide, images.n(), g.dimension());
    }

    private Value memorization(PointSet generated) {
        NearestNeighbours nn = NearestNeighbours.search(generated, reference.images(), 0);
        int n = generated.n();
        double[] ratio = new double[n];
        int copies = 0;
        for (int i = 0; i < n; i++) {
            ratio[i] = nn.ratio(i);
            copies += ratio[i] < settings.copyRatio() ? 1 : 0;
        }
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Value(median, Double.NaN, "OK", "{\"copies\":" + copies + ",\"copy_ratio\":" + settings.copyRatio() + "}", n, reference.images().n());
    }
}
