package io.ferry.cli.testing;

/** Answers of the REST API as the contract gives them. */
public final class Fixtures {
    public static final String ID = "0b6f3f0e-8f3a-4c55-9d0e-2f1f6a1c9e11";
    public static final String OTHER_ID = "7d1c2b4a-1e2f-4a3b-8c9d-0e1f2a3b4c5d";

    private Fixtures() {}

    public static String migration(String id, String state, String failureReason, Long totalMs, Long downtimeMs) {
        return """
                {"migrationId":"%s","requestId":"req-1","vmId":"SERVER2","sourceHost":"hv-01","destinationHost":"hv-02",\
                "state":"%s","failureReason":%s,"failureDetail":%s,"requestedBy":"ops","channel":"CLI","version":17,\
                "createdAt":"2026-05-04T10:15:30.123456Z","updatedAt":"2026-05-04T10:15:33.400Z","totalMs":%s,\
                "downtimeMs":%s,"rounds":3,"pagesSent":262144,"bytesSent":1073741824}"""
                .formatted(id, state, failureReason == null ? "null" : "\"" + failureReason + "\"",
                        failureReason == null ? "null" : "\"the guest dirtied memory faster than the link\"",
                        totalMs == null ? "null" : totalMs, downtimeMs == null ? "null" : downtimeMs);
    }

    public static String completed(String id) {
        return migration(id, "COMPLETED", null, 3_240L, 41L);
    }

    public static String page(int total, String... items) {
        return "{\"items\":[" + String.join(",", items) + "],\"page\":0,\"size\":50,\"total\":" + total + "}";
    }

    public static String problem(int status, String title, String detail, String reason) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\",\"reason\":\"" + reason + "\"}";
    }
}
