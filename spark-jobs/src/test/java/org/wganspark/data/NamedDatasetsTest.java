package org.wganspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.io.BadInputException;

class NamedDatasetsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();

    private NamedDatasets resolver(Map<String, String> env, String debianRoot, boolean download) {
        return new NamedDatasets(env, debianRoot, download, false, new PrintStream(said, true));
    }

    @Test
    void explicitFolderWinsAndAcceptsUnpackedFiles() throws Exception {
        Path f = TestFiles.write(dir.resolve("mine/t10k-images-idx3-ubyte"), new byte[16]);
        String got = resolver(Map.of(), dir.resolve("nodebian").toString(), false).resolve("mnist", "test", dir.resolve("mine").toString());
        assertEquals(f.toString(), got);
    }

    @Test
    void wganDataComesBeforeDebian() throws Exception {
        Path mine = TestFiles.write(dir.resolve("data/fashion-mnist/train-images-idx3-ubyte.gz"), new byte[16]);
        TestFiles.write(dir.resolve("deb/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"), new byte[16]);
        NamedDatasets r = resolver(Map.of("WGAN_DATA", dir.resolve("data").toString()), dir.resolve("deb").toString(), false);
        assertEquals(mine.toString(), r.resolve("fashion-mnist", "train", ""));
        NamedDatasets debianOnly = resolver(Map.of(), dir.resolve("deb").toString(), false);
        assertTrue(debianOnly.resolve("fashion-mnist", "train", "").endsWith("deb/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
    }

    @Test
    void nothingFoundSaysHowToGetIt() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> resolver(Map.of(), dir.toString(), false).resolve("fashion-mnist", "train", ""));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist") && e.getMessage().contains("$WGAN_DATA/fashion-mnist"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(assertThrows(BadInputException.class, () -> resolver(Map.of(), dir.toString(), false).resolve("cifar", "train", ""))
                .getMessage().contains("known: "));
    }

    @Test
    void downloadKeepsOnlyAFileWithTheRightChecksum() throws Exception {
        byte[] content = "pretend IDX".getBytes();
        Path mirror = dir.resolve("mirror");
        TestFiles.write(mirror.resolve("toy/a.gz"), content);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Map<String, String> env = Map.of("WGAN_DATA", dir.resolve("cache").toString(), "WGAN_DATA_MIRROR", mirror.toUri().toString());
        NamedDatasets r = resolver(env, dir.toString(), true);
        NamedDatasets.Named toy = new NamedDatasets.Named("toy", "unused", null, null, List.of(), List.of());
        String got = r.download(toy, new NamedDatasets.Remote("a.gz", sha)).orElseThrow();
        assertEquals(dir.resolve("cache/toy/a.gz").toString(), got);
        assertTrue(r.download(toy, new NamedDatasets.Remote("a.gz", "00" + sha.substring(2))).isEmpty());
        assertTrue(said.toString().contains("download rejected"), said.toString());
        try (var left = Files.list(dir.resolve("cache/toy"))) {
            assertEquals(List.of("a.gz"), left.map(p -> p.getFileName().toString()).toList(), "no partial files left behind");
        }
    }

    @Test
    void debianFilesAreNotTheUpstreamBytesSoTheirChecksumIsRejected() throws Exception {
        // Debian re-packed the gzip files: a download check against upstream's SHA-256 must refuse them.
        Path mirror = dir.resolve("mirror");
        Files.createDirectories(mirror.resolve("fashion-mnist"));
        Files.copy(TestFiles.fashionMnistTest(), mirror.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"));
        Map<String, String> env = Map.of("WGAN_DATA_MIRROR", mirror.toUri().toString(), "HOME", dir.toString());
        BadInputException e = assertThrows(BadInputException.class,
                () -> resolver(env, dir.resolve("nodebian").toString(), true).resolve("fashion-mnist", "test", ""));
        assertTrue(e.getMessage().contains("download"), e.getMessage());
        assertTrue(said.toString().contains("expected 346e55b9"), said.toString());
    }
}
