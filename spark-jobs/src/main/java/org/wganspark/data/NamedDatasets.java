package org.wganspark.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wganspark.io.BadInputException;

/**
 * Resolves the named datasets {@code mnist} and {@code fashion-mnist} to local IDX files, in order:
 * an explicit folder, {@code $WGAN_DATA/<name>}, the install location of Debian's
 * {@code dataset-fashion-mnist}, then a download from the dataset's upstream URL (SHA-256 checked) into
 * {@code $WGAN_DATA/<name>} or {@code ~/.cache/wgan-spark/datasets/<name>}. Optionally (quickstart) the
 * Debian package is installed first where apt is usable.
 */
public final class NamedDatasets {

    /** One upstream file and its published SHA-256. */
    record Remote(String file, String sha256) {
    }

    record Named(String name, String upstream, String debianFolder, String debianPackage, List<Remote> train, List<Remote> test) {
    }

    private static final Map<String, Named> KNOWN = Map.of(
            "fashion-mnist", new Named("fashion-mnist", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "/usr/share/datasets/fashion-mnist", "dataset-fashion-mnist",
                    List.of(new Remote("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84")),
                    List.of(new Remote("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"))),
            "mnist", new Named("mnist", "https://ossci-datasets.s3.amazonaws.com/mnist/", null, null,
                    List.of(new Remote("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")),
                    List.of(new Remote("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"))));

    private final Map<String, String> env;
    private final String debianRoot;
    private final boolean mayDownload;
    private final boolean mayInstallPackage;
    private final PrintStream progress;

    /**
     * @param env               environment (WGAN_DATA, WGAN_DATA_MIRROR to replace upstream URLs, HOME)
     * @param debianRoot        prefix of Debian's install location ("" for the real one; tests point it elsewhere)
     * @param mayDownload       try the upstream download when nothing local is found
     * @param mayInstallPackage try {@code apt-get install} of the Debian package (root only) before downloading
     * @param progress          where to say what is being done
     */
    public NamedDatasets(Map<String, String> env, String debianRoot, boolean mayDownload, boolean mayInstallPackage, PrintStream progress) {
        this.env = env;
        this.debianRoot = debianRoot;
        this.mayDownload = mayDownload;
        this.mayInstallPackage = mayInstallPackage;
        this.progress = progress;
    }

    public static boolean isNamed(String source) {
        return KNOWN.containsKey(source);
    }

    /**
     * The IDX image file of {@code split} ("train" or "test"), or a {@link BadInputException} that says how to get it.
     *
     * @param explicitFolder a folder given by the user for this dataset, or null
     */
    public String resolve(String name, String split, String explicitFolder) {
        Named d = KNOWN.get(name);
        if (d == null) {
            throw new BadInputException("data.source: unknown dataset '" + name + "', known: " + String.join(", ", KNOWN.keySet()));
        }
        if (!split.equals("train") && !split.equals("test")) {
            throw new BadInputException("data.split: expected train or test, found '" + split + "'");
        }
        Remote remote = (split.equals("train") ? d.train() : d.test()).get(0);
        if (explicitFolder != null && !explicitFolder.isEmpty()) {
            return find(Path.of(explicitFolder), remote.file()).orElseThrow(() -> new BadInputException(
                    "data.dir: " + explicitFolder + " holds no " + remote.file() + " (or its unpacked form)"));
        }
        String wganData = env.get("WGAN_DATA");
        if (wganData != null && !wganData.isEmpty()) {
            Optional<String> f = find(Path.of(wganData, name), remote.file()).or(() -> find(Path.of(wganData), remote.file()));
            if (f.isPresent()) {
                return f.get();
            }
        }
        if (d.debianFolder() != null) {
            Optional<String> f = find(Path.of(debianRoot + d.debianFolder()), remote.file());
            if (f.isPresent()) {
                return f.get();
            }
            if (mayInstallPackage && installDebianPackage(d)) {
                f = find(Path.of(debianRoot + d.debianFolder()), remote.file());
                if (f.isPresent()) {
                    return f.get();
                }
            }
        }
        if (mayDownload) {
            Optional<String> f = download(d, remote);
            if (f.isPresent()) {
                return f.get();
            }
        }
        throw new BadInputException(name + ": " + remote.file() + " not found; "
                + (d.debianPackage() != null ? "install it with 'apt-get install " + d.debianPackage() + "', " : "")
                + "put it in $WGAN_DATA/" + name + "/, or set data.dir to its folder"
                + (mayDownload ? " (the download from " + baseUrl(d) + " failed)" : ""));
    }

    private static Optional<String> find(Path folder, String gzName) {
        Path gz = folder.resolve(gzName);
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz.toAbsolutePath().toString());
        }
        Path raw = folder.resolve(gzName.substring(0, gzName.length() - 3));
        return Files.isRegularFile(raw) ? Optional.of(raw.toAbsolutePath().toString()) : Optional.empty();
    }

    private String baseUrl(Named d) {
        String mirror = env.get("WGAN_DATA_MIRROR");
        return mirror != null && !mirror.isEmpty() ? (mirror.endsWith("/") ? mirror : mirror + "/") + d.name() + "/" : d.upstream();
    }

    private Path cacheFolder(Named d) {
        String wganData = env.get("WGAN_DATA");
        if (wganData != null && !wganData.isEmpty()) {
            return Path.of(wganData, d.name());
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "wgan-spark", "datasets", d.name());
    }

    /** Downloads to a temporary file, checks SHA-256, renames into place. Empty when offline or the check fails. */
    Optional<String> download(Named d, Remote remote) {
        String url = baseUrl(d) + remote.file();
        Path folder = cacheFolder(d);
        Path target = folder.resolve(remote.file());
        progress.println("[data] " + d.name() + " not found locally; downloading " + url + " to " + folder);
        Path tmp = null;
        try {
            Files.createDirectories(folder);
            tmp = Files.createTempFile(folder, "." + remote.file(), ".part");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            URLConnection connection = new URL(url).openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(30_000);
            if (connection instanceof HttpURLConnection http && http.getResponseCode() != 200) {
                progress.println("[data] download failed: HTTP " + http.getResponseCode() + " from " + url);
                return Optional.empty();
            }
            try (InputStream in = new DigestInputStream(connection.getInputStream(), sha); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(remote.sha256())) {
                progress.println("[data] download rejected: " + url + " has SHA-256 " + actual + ", expected " + remote.sha256());
                return Optional.empty();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            progress.println("[data] " + target + " (SHA-256 verified)");
            return Optional.of(target.toString());
        } catch (IOException e) {
            progress.println("[data] download failed: " + HadoopFiles.oneLine(e));
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray .part file is hidden and harmless
                }
            }
        }
    }

    private boolean installDebianPackage(Named d) {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) || !"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        progress.println("[data] " + d.name() + " not found locally; installing Debian package " + d.debianPackage() + " (apt-get)");
        for (List<String> cmd : List.of(List.of("apt-get", "install", "-y", "-q", d.debianPackage()),
                List.of("apt-get", "update", "-q"), List.of("apt-get", "install", "-y", "-q", d.debianPackage()))) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0 && cmd.get(1).equals("install")) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        progress.println("[data] apt-get could not install " + d.debianPackage());
        return false;
    }
}
