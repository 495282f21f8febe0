package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    @Test
    void theConfigurationPageIsTheSchemaRendered() throws Exception {
        Path page = Path.of("..", "docs", "configuration.md");
        assertEquals(ConfigReference.markdown(), Files.readString(page),
                "docs/configuration.md differs from the schema: regenerate it with bin/wgan-spark help config > docs/configuration.md");
    }

    @Test
    void everyKeyOfTheSchemaIsListedWithItsDefault() {
        String page = ConfigReference.markdown();
        Config schema = ExperimentConfig.schema();
        schema.entrySet().forEach(e -> assertTrue(page.contains("| `" + e.getKey() + "` | `"), e.getKey() + " is missing"));
        assertTrue(page.contains("| `train.lr-critic` | `0.001` |"), "a default as the schema gives it");
    }
}
