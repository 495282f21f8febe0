package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.io.BadInputException;

class ExperimentConfigTest {

    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    @Test
    void defaultsComeFromTheSchema() {
        Config c = ExperimentConfig.load(null, Map.of(), List.of(), hadoop);
        assertEquals("fashion-mnist", c.getString("data.source"));
        assertEquals(7, c.getInt("patches.size"));
        assertEquals("local[*]", c.getString("spark.master"));
    }

    @Test
    void overridesBeatOptionsBeatTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("x.conf"), "data { limit = 10, source = mnist }\npatches.size = 5\n");
        Config c = ExperimentConfig.load(f.toString(), Map.of("data.limit", 20L), List.of("data.limit=30", "out=/tmp/a b/c"), hadoop);
        assertEquals(30, c.getLong("data.limit"));
        assertEquals("mnist", c.getString("data.source"));
        assertEquals(5, c.getInt("patches.size"));
        assertEquals("/tmp/a b/c", c.getString("out"));
    }

    @Test
    void misspelledKeyIsNamedWithTheValidKeysOfItsSection() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.conf"), "data { sorce = mnist }\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.load(f.toString(), Map.of(), List.of(), hadoop));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()) && m.contains("unknown key 'data.sorce'") && m.contains("data.source")
                && m.contains("data.image.grayscale") && !m.contains("patches.size"), m);
    }

    @Test
    void unknownTopLevelKeyListsAllKeys() {
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.load(null, Map.of(), List.of("sed=3"), hadoop));
        assertTrue(e.getMessage().contains("unknown key 'sed'") && e.getMessage().contains("seed") && e.getMessage().contains("patches.stride"),
                e.getMessage());
    }

    @Test
    void wrongTypeIsNamed() {
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentConfig.load(null, Map.of(), List.of("patches.size=big"), hadoop));
        assertTrue(e.getMessage().contains("patches.size"), e.getMessage());
    }

    @Test
    void aKeyThatIsNoPathIsOneLine() {
        // a quoted key with quotes inside: Typesafe's path parser throws BadPath on it
        BadInputException e = assertThrows(BadInputException.class,
                () -> ExperimentConfig.load(null, Map.of(), List.of("\"spark.conf.\\\"spark.broadcast.compress\\\"\"=false"), hadoop));
        assertTrue(e.getMessage().contains("is not a valid path"), e.getMessage());
    }

    @Test
    void sparkConfIsFreeForm() {
        Config c = ExperimentConfig.load(null, Map.of(), List.of("spark.conf.\"spark.executor.memory\"=4g"), hadoop);
        assertEquals("4g", c.getConfig("spark.conf").getString("\"spark.executor.memory\""));
    }

    @Test
    void missingConfigFileIsOneLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ExperimentConfig.load(dir.resolve("none.conf").toString(), Map.of(), List.of(), hadoop));
        assertTrue(e.getMessage().endsWith("no such config file"), e.getMessage());
    }

    @Test
    void shippedConfigsAreValid() throws Exception {
        Path conf = Path.of(System.getProperty("wgan.repo.root", ".."), "conf");
        try (var files = Files.list(conf)) {
            List<Path> configs = files.filter(p -> p.toString().endsWith(".conf") && !p.getFileName().toString().startsWith("spark-")).toList();
            assertTrue(!configs.isEmpty(), "no configs in " + conf);
            for (Path p : configs) {
                ExperimentConfig.load(p.toString(), Map.of(), List.of(), hadoop);
            }
        }
    }
}
