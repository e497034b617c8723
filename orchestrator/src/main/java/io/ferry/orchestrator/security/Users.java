package io.ferry.orchestrator.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The REST API's users from {@code ferry.orchestrator.users}: comma-separated {@code name:password:ROLE}. A password
 * may be given encoded ({@code {bcrypt}...}); a plain one is compared as is. Roles: OPERATOR (submit, cancel, read),
 * VIEWER (read only).
 */
record Users(List<User> users) {
    static final Set<String> ROLES = Set.of("OPERATOR", "VIEWER");

    record User(String name, String password, String role) {
        @Override
        public String toString() {
            return "User[" + name + ", " + role + "]"; // never the password
        }
    }

    static Users parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalStateException("ferry.orchestrator.users (FERRY_ORCHESTRATOR_USERS) is not set: the REST API "
                    + "requires authentication. Set it to name:password:ROLE entries, e.g. "
                    + "ops:<password>:OPERATOR,viewer:<password>:VIEWER (./ferry up generates development ones)");
        }
        List<User> users = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            int first = trimmed.indexOf(':');
            int last = trimmed.lastIndexOf(':');
            if (first <= 0 || last <= first + 1 || last == trimmed.length() - 1) {
                throw new IllegalStateException("ferry.orchestrator.users: entry " + (users.size() + 1) + " is not "
                        + "name:password:ROLE (the password is not shown here)");
            }
            String role = trimmed.substring(last + 1).toUpperCase();
            if (!ROLES.contains(role)) {
                throw new IllegalStateException("ferry.orchestrator.users: user '" + trimmed.substring(0, first)
                        + "' has role '" + role + "'; use OPERATOR or VIEWER");
            }
            String password = trimmed.substring(first + 1, last);
            users.add(new User(trimmed.substring(0, first), password.startsWith("{") ? password : "{noop}" + password, role));
        }
        return new Users(List.copyOf(users));
    }
}
