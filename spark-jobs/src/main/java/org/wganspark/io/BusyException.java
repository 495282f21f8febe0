package org.wganspark.io;

/**
 * Another job holds what this one needs (the score table's lock). The message is one line naming the holder; the CLI
 * prints it and exits with 5, so a scheduler can tell "try later" from bad input.
 */
public class BusyException extends RuntimeException {

    public BusyException(String message) {
        super(message);
    }
}
