package io.ferry.hypervisor.qemu;

/**
 * A QMP command QEMU refused ({@code errorClass} and {@code desc} are QEMU's), or the connection to QEMU is gone
 * ({@code errorClass} {@value #DISCONNECTED}) or did not answer in time ({@value #TIMEOUT}).
 */
public class QmpException extends RuntimeException {
    public static final String DISCONNECTED = "Disconnected";
    public static final String TIMEOUT = "Timeout";
    private final String errorClass;
    private final String desc;

    public QmpException(String command, String errorClass, String desc) {
        super(command + ": " + errorClass + ": " + desc);
        this.errorClass = errorClass;
        this.desc = desc;
    }

    public QmpException(String command, String errorClass, String desc, Throwable cause) {
        super(command + ": " + errorClass + ": " + desc, cause);
        this.errorClass = errorClass;
        this.desc = desc;
    }

    public String errorClass() {
        return errorClass;
    }

    /** QEMU's own description, e.g. {@code Failed to get "write" lock}. */
    public String desc() {
        return desc;
    }
}
