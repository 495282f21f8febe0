package org.wganspark.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process (our scripts) with stdout and stderr collected as they come. */
final class Proc {

    static final Path ROOT = Path.of(System.getProperty("wgan.repo.root", "..")).toAbsolutePath().normalize();

    final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();

    private Proc(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    static Proc start(Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().putAll(env);
        return new Proc(pb.start());
    }

    static Proc run(Map<String, String> env, long timeoutSeconds, String... command) throws Exception {
        Proc p = start(env, List.of(command));
        p.waitFor(timeoutSeconds);
        return p;
    }

    int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s; stderr so far:\n" + err);
        }
        // let the pumps drain
        Thread.sleep(50);
        return process.exitValue();
    }

    int code() {
        return process.exitValue();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Waits until stderr contains {@code text}. */
    void awaitErr(String text, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!err.toString().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive() && !err.toString().contains(text)) {
                throw new AssertionError("never saw '" + text + "' on stderr:\n" + err);
            }
            Thread.sleep(100);
        }
    }

    private static void pump(java.io.InputStream in, StringBuffer sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
