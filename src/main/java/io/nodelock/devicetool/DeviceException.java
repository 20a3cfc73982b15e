package io.nodelock.devicetool;

/** A bad input or refused operation; the CLI prints {@link #getMessage()} as one line and exits non-zero. */
public class DeviceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(oneLine(message));
    }

    public DeviceException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replace("\r", " ").replace("\n", " ").strip();
    }
}
