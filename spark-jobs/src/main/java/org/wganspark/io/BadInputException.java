package org.wganspark.io;

/**
 * Input that cannot be used as given: a file, a path, a key or a value. The message is one line that
 * names the file or key, what was expected and what was found; the CLI prints it and exits with 2.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
