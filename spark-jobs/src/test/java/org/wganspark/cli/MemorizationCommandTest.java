package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.IdxSource;
import org.wganspark.data.RowSource;
import org.wganspark.data.TestFiles;
import org.wganspark.io.NpyWriter;

class MemorizationCommandTest {

    @TempDir
    Path dir;

    @Test
    void copiesOfTrainingImagesAreFoundAndFreshImagesAreNot() throws Exception {
        RowSource s = IdxSource.open(TestFiles.fashionMnistTest().toString(), new Configuration());
        List<FloatBlock> blocks = new ArrayList<>();
        s.read(0, 300, 300, new Configuration()).forEachRemaining(blocks::add);
        float[] train = blocks.get(0).values;
        SplittableRandom r = new SplittableRandom(9);
        int copies = 6;
        int fresh = 6;  // an even count: the median is the mean of the two middle distances
        float[] generated = new float[(copies + fresh) * 784];
        for (int i = 0; i < copies; i++) {
            int source = 37 * i + 11;  // training rows 11, 48, 85, ...
            for (int k = 0; k < 784; k++) {
                generated[i * 784 + k] = train[source * 784 + k] + (float) (0.01 * r.nextGaussian());
            }
        }
        for (int i = copies; i < copies + fresh; i++) {
            // the average of two training images: near both, a copy of neither
            for (int k = 0; k < 784; k++) {
                generated[i * 784 + k] = 0.5f * (train[(2 * i) * 784 + k] + train[(2 * i + 101) * 784 + k]);
            }
        }
        Path npy = dir.resolve("generated.npy");
        try (OutputStream o = Files.newOutputStream(npy)) {
            NpyWriter.writeHeader(o, copies + fresh, 1, 28, 28);
            NpyWriter.writeFloats(o, generated, 0, generated.length);
        }
        Path out = dir.resolve("m");
        CliTest.Run run = CliTest.run("memorization", "--generated", npy.toString(), "--data", TestFiles.fashionMnistTest().toString(), "--limit", "300",
                "--show", "8", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(copies, (long) CliTest.number(run.out(), "copies"), run.out());
        List<String> rows = Files.readAllLines(out.resolve("nearest.csv"));
        assertEquals(copies + fresh + 1, rows.size());
        for (int i = 0; i < copies; i++) {
            String[] f = rows.get(1 + i).split(",");
            assertEquals(37 * i + 11, Integer.parseInt(f[1]), rows.get(1 + i));
            assertTrue(Double.parseDouble(f[2]) < 0.5 && Double.parseDouble(f[4]) < 0.1, rows.get(1 + i));
        }
        for (int i = copies; i < copies + fresh; i++) {
            assertTrue(Double.parseDouble(rows.get(1 + i).split(",")[4]) > 0.333, rows.get(1 + i));
        }
        assertTrue(Files.size(out.resolve("nearest.png")) > 2000);
        double[] distances = rows.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).sorted().toArray();
        assertEquals((distances[5] + distances[6]) / 2, CliTest.number(run.out(), "nearest_distance_median"), 1e-5 * distances[6]);
    }

    @Test
    void aGeneratedSetOfAnotherShapeIsOneLine() throws Exception {
        Path npy = dir.resolve("vector.npy");
        try (OutputStream o = Files.newOutputStream(npy)) {
            NpyWriter.writeHeader(o, 4, 10);
            NpyWriter.writeFloats(o, new float[40], 0, 40);
        }
        CliTest.assertBadInput(CliTest.run("memorization", "--generated", npy.toString(), "--data", TestFiles.fashionMnistTest().toString(), "--out",
                dir.resolve("x").toString()), "--generated", npy.toString());
        CliTest.assertBadInput(CliTest.run("memorization", "--generated", npy.toString(), "--copy-ratio", "0", "--out", dir.resolve("y").toString()),
                "--copy-ratio");
    }
}
