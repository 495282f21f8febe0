package org.wganspark.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.wganspark.io.BusyException;

/**
 * The score table's writer lock: the file {@code TABLE/_lock}, created only if absent (an atomic create on HDFS and
 * on local disks), holding who took it. The holder refreshes the file's modification time every
 * {@link #HEARTBEAT_SECONDS} s and deletes it when done.
 *
 * <p><b>Stale locks.</b> A lock is taken over when its holder is gone: it names this host and a process that is no
 * longer running (a job killed with kill -9 here), or its modification time is older than the stale limit
 * ({@code eval.lock-stale-minutes}, a holder on another machine that stopped refreshing). Otherwise a second job
 * refuses with one line ({@link BusyException}, exit code 5) and changes nothing.
 */
public final class TableLock implements AutoCloseable {

    static final String FILE = "_lock";
    static final long HEARTBEAT_SECONDS = 30;
    private static final Pattern FIELD = Pattern.compile("\"(host|pid|started)\":\"?([^\",}]*)");

    private final Path file;
    private final Configuration conf;
    private final ScheduledExecutorService heartbeat;

    private TableLock(Path file, Configuration conf) {
        this.file = file;
        this.conf = conf;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eval-table-lock");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::touch, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Takes the lock of {@code table} (named {@code typed} in messages), taking over a stale one (said on
     * {@code progress}); {@link BusyException} when a live job holds it.
     */
    public static TableLock acquire(Path table, String typed, Configuration conf, double staleMinutes, Consumer<String> progress) {
        Path file = new Path(table, FILE);
        try {
            FileSystem fs = file.getFileSystem(conf);
            for (int attempt = 0; attempt < 2; attempt++) {
                if (create(fs, file)) {
                    return new TableLock(file, conf);
                }
                String holder;
                long modified;
                try (var in = fs.open(file)) {
                    holder = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                    modified = fs.getFileStatus(file).getModificationTime();
                } catch (java.io.FileNotFoundException gone) {
                    continue;  // released meanwhile
                }
                String stale = staleReason(holder, modified, staleMinutes);
                if (stale == null) {
                    throw new BusyException("--table " + typed + ": locked by " + describe(holder) + " (another eval score is writing it); "
                            + "a lock is taken over when its process is gone or it is not refreshed for " + staleMinutes + " minutes");
                }
                progress.accept("taking over a stale lock of " + describe(holder) + ": " + stale);
                fs.delete(file, false);
            }
            throw new BusyException("--table " + typed + ": another job took the lock at the same moment; try again");
        } catch (IOException e) {
            throw new UncheckedIOException("locking " + typed + ": " + e.getMessage(), e);
        }
    }

    /** Creates the lock file if absent, atomically; false if it exists. */
    private static boolean create(FileSystem fs, Path file) throws IOException {
        byte[] text = holderText().getBytes(StandardCharsets.UTF_8);
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            java.nio.file.Path local = Paths.get(fs.makeQualified(file).toUri());
            try {
                Files.write(local, text, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(text);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false;
            }
            throw e;
        }
    }

    private static String holderText() {
        return String.format(Locale.ROOT, "{\"host\":\"%s\",\"pid\":%d,\"started\":\"%s\"}", host(), ProcessHandle.current().pid(), Instant.now());
    }

    /** Why the lock is stale, or null if its holder may be alive. */
    static String staleReason(String holder, long modifiedMillis, double staleMinutes) {
        String host = field(holder, "host");
        String pid = field(holder, "pid");
        if (host.equals(host()) && !pid.isEmpty()) {
            try {
                if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    return null;
                }
                return "process " + pid + " is no longer running on this host";
            } catch (NumberFormatException e) {
                // unreadable pid: judged by age below
            }
        }
        double ageMinutes = (System.currentTimeMillis() - modifiedMillis) / 60_000.0;
        return ageMinutes > staleMinutes ? String.format(Locale.ROOT, "not refreshed for %.1f minutes", ageMinutes) : null;
    }

    private static String describe(String holder) {
        return "process " + field(holder, "pid") + " on " + field(holder, "host") + " since " + field(holder, "started");
    }

    private static String field(String text, String name) {
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return "";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private void touch() {
        try {
            file.getFileSystem(conf).setTimes(file, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            // the next beat tries again; a lock left unrefreshed only becomes stale
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            file.getFileSystem(conf).delete(file, false);
        } catch (IOException e) {
            throw new UncheckedIOException("releasing " + file + ": " + e.getMessage(), e);
        }
    }
}
