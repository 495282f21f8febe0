package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** --help is what a new user reads first: complete sentences, every default, an example, nothing it later rejects. */
class HelpTest {

    private static List<CommandLine> allCommands() {
        List<CommandLine> out = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(new CommandLine(new Main())));
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(0);
            out.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return out;
    }

    @Test
    void theCommandListShowsWholeSentences() {
        for (String[] args : new String[][] {{"--help"}, {"ot", "--help"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(0, r.code());
            String list = r.out().substring(r.out().indexOf("Commands:"));
            for (String line : list.lines().skip(1).takeWhile(l -> !l.isBlank()).toList()) {
                assertTrue(line.startsWith("  ") && line.strip().endsWith("."), "a summary cut mid-sentence: '" + line + "'");
            }
        }
    }

    @Test
    void everyOptionThatTakesAValueStatesItsDefault() {
        Pattern keyed = Pattern.compile("key ([a-z0-9.-]+); default ([^;) ]+)");
        Config schema = ExperimentConfig.schema();
        for (CommandLine c : allCommands()) {
            CommandSpec spec = c.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (o.usageHelp() || o.versionHelp() || o.required() || o.arity().max() == 0 || o.hidden()) {
                    continue;
                }
                String text = String.join(" ", o.description());
                assertTrue(text.contains("default"), spec.qualifiedName() + " " + o.longestName() + ": no default in '" + text + "'");
                Matcher m = keyed.matcher(text);
                if (m.find() && schema.hasPath(m.group(1)) && !m.group(2).startsWith("none") && !String.valueOf(schema.getValue(m.group(1)).unwrapped()).isEmpty()) {
                    String value = schema.getValue(m.group(1)).unwrapped().toString().replace("[", "").replace("]", "").replace(" ", "");
                    assertEquals(value, m.group(2).strip().replaceAll(",$", ""), spec.qualifiedName() + " " + o.longestName() + ": the help and the schema disagree");
                }
            }
        }
    }

    @Test
    void everyCommandShowsAnExample() {
        for (CommandLine c : allCommands()) {
            CommandSpec spec = c.getCommandSpec();
            if (spec.name().equals("help")) {
                continue;
            }
            assertTrue(String.join("\n", spec.usageMessage().footer()).contains("Example: wgan-spark"), spec.qualifiedName() + " has no example");
        }
    }

    @Test
    void slicedDistancesDoNotOfferAMetricTheyReject() {
        CliTest.Run r = CliTest.run("ot", "sliced", "--help");
        assertFalse(r.out().contains("--metric"), r.out());
        assertTrue(CliTest.run("ot", "exact", "--help").out().contains("sqeuclidean"));
    }

    @Test
    void sourcesListRing8() {
        assertTrue(CliTest.run("--help").out().contains("ring8"));
        assertTrue(CliTest.run("data", "--help").out().contains("ring8"));
        assertTrue(CliTest.run("ot", "exact", "--help").out().contains("ring8"));
    }

    @Test
    void aBareCommandPrintsHelpAndExits2() {
        CliTest.Run root = CliTest.run();
        assertEquals(ExitCodes.BAD_INPUT, root.code());
        assertTrue(root.err().contains("Commands:"), root.err());
        CliTest.Run ot = CliTest.run("ot");
        assertEquals(ExitCodes.BAD_INPUT, ot.code());
        assertTrue(ot.err().contains("exact") && ot.err().contains("sinkhorn"), ot.err());
    }

    @Test
    void helpReachesNestedCommands() {
        CliTest.Run r = CliTest.run("help", "ot", "exact");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: wgan-spark ot exact") && r.out().contains("--plan-out"), r.out());
        CliTest.assertBadInput(CliTest.run("help", "ot", "exakt"), "exakt", "exact");
    }

    @Test
    void aMisspelledOptionOrCommandGetsASuggestion() {
        CliTest.assertBadInput(CliTest.run("patches", "--strid", "3"), "--strid", "did you mean", "--stride");
        CliTest.assertBadInput(CliTest.run("ot", "exakt"), "exakt", "did you mean", "exact");
    }
}
