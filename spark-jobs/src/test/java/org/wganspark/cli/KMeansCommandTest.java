package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.TestFiles;

class KMeansCommandTest {

    @TempDir
    Path dir;

    private CliTest.Run kmeans(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("kmeans", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "300", "--k", "8",
                "--max-iter", "20", "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(new String[0]));
    }

    @Test
    void mllibKMeansWithExactW1BothWaysAndTheSameCentroidsFromTheSameSeed() throws Exception {
        CliTest.Run r = kmeans(dir.resolve("a"));
        assertEquals(0, r.code(), r.err());
        double meanSquared = CliTest.number(r.out(), "mean_squared_distance");
        double uniform = CliTest.number(r.out(), "w1_uniform");
        double masses = CliTest.number(r.out(), "w1_cluster_masses");
        // sending each image to its nearest centroid is a coupling with the clusters' masses: exact W1 can only be lower,
        // and that coupling's mean distance is at most the root of the mean squared distance
        assertTrue(masses > 0 && masses <= Math.sqrt(meanSquared) + 1e-9, r.out());
        assertTrue(uniform >= masses * 0.9 && uniform < 2 * Math.sqrt(meanSquared), r.out());
        List<String> rows = Files.readAllLines(dir.resolve("a/masses.csv"));
        assertEquals(9, rows.size());
        assertEquals(300, rows.stream().skip(1).mapToLong(line -> Long.parseLong(line.split(",")[1])).sum());
        assertEquals(8L * 784 * 4 + 128, Files.size(dir.resolve("a/centroids.npy")));
        assertTrue(Files.size(dir.resolve("a/centroids.png")) > 1000);
        CliTest.Run again = kmeans(dir.resolve("b"));
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/centroids.npy")), Files.readAllBytes(dir.resolve("b/centroids.npy")));
        CliTest.Run otherSeed = kmeans(dir.resolve("c"), "seed=5");
        assertEquals(0, otherSeed.code(), otherSeed.err());
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/centroids.npy")), Files.readAllBytes(dir.resolve("c/centroids.npy"))),
                "the seed reaches MLlib's k-means|| seeding");
    }

    @Test
    void badKOrIterationsIsOneLine() {
        CliTest.assertBadInput(kmeans(dir.resolve("x"), "--k", "0"), "--k");
        CliTest.assertBadInput(kmeans(dir.resolve("y"), "--max-iter", "0"), "--max-iter");
        CliTest.assertBadInput(CliTest.run("kmeans", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "5", "--k", "8", "--out",
                dir.resolve("z").toString()), "only 5 rows");
    }
}
