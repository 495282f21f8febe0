package org.wganspark.eval;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stale-lock rule, case by case. */
class TableLockTest {

    private static final String OTHER_HOST = "{\"host\":\"a-node-of-another-cluster\",\"pid\":12345,\"started\":\"2026-01-01T00:00:00Z\"}";

    @Test
    void aLockFromAnotherHostIsJudgedByTheAgeOfItsLastRefresh() {
        long now = System.currentTimeMillis();
        assertNull(TableLock.staleReason(OTHER_HOST, now - 60_000, 10), "refreshed a minute ago");
        String stale = TableLock.staleReason(OTHER_HOST, now - 11 * 60_000, 10);
        assertNotNull(stale);
        assertTrue(stale.contains("not refreshed for 11"), stale);
    }

    @Test
    void aLockOfThisHostIsStaleExactlyWhenItsProcessIsGone() throws Exception {
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String alive = "{\"host\":\"" + host + "\",\"pid\":" + ProcessHandle.current().pid() + ",\"started\":\"x\"}";
        assertNull(TableLock.staleReason(alive, 0, 10), "a live holder keeps its lock, however old the file");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        String gone = "{\"host\":\"" + host + "\",\"pid\":" + p.pid() + ",\"started\":\"x\"}";
        String reason = TableLock.staleReason(gone, System.currentTimeMillis(), 10);
        assertNotNull(reason);
        assertTrue(reason.contains("no longer running"), reason);
    }
}
