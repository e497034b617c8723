package io.ferry.cli.connection;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the URL and credentials: each of url, user and password comes from its flag, else its environment variable
 * (FERRY_URL, FERRY_USER, FERRY_PASSWORD), else the credentials file of {@code ./ferry up} (operator entry, or viewer
 * with {@code --viewer}). The file's credentials are only used for the file's own URL, so they never go to another
 * server.
 */
public final class ConnectionResolver {
    private ConnectionResolver() {}

    /** What was given on the command line; null when not given. */
    public record Flags(String url, String user, String password, boolean viewer) {}

    public static Connection resolve(Flags flags, Map<String, String> env, Path credentialsFile) {
        String url = first(flags.url(), env.get("FERRY_URL"));
        String user = first(flags.user(), env.get("FERRY_USER"));
        String password = first(flags.password(), env.get("FERRY_PASSWORD"));
        String origin = flags.user() != null || flags.password() != null ? "--user/--password"
                : user != null || password != null ? "FERRY_USER/FERRY_PASSWORD" : "none";
        if (user != null && password != null) {
            return new Connection(url == null ? Connection.DEFAULT_URL : url, user, password, origin);
        }
        Optional<CredentialsFile> file = CredentialsFile.read(credentialsFile);
        if (url == null) {
            url = file.map(CredentialsFile::url).filter(u -> !u.isBlank()).orElse(Connection.DEFAULT_URL);
        }
        String target = url;
        Optional<CredentialsFile> usable = file.filter(f -> f.url() == null || sameUrl(f.url(), target));
        if (usable.isPresent()) {
            CredentialsFile f = usable.get();
            String fileUser = flags.viewer() ? f.viewerUser() : f.operatorUser();
            String filePassword = flags.viewer() ? f.viewerPassword() : f.operatorPassword();
            if (user == null && password == null) {
                return new Connection(url, fileUser, filePassword, credentialsFile.toString());
            }
            if (user != null && password == null) {
                // A user of the file named without its password: take the password from the file.
                String known = user.equals(f.operatorUser()) ? f.operatorPassword()
                        : user.equals(f.viewerUser()) ? f.viewerPassword() : null;
                if (known != null) {
                    return new Connection(url, user, known, credentialsFile.toString());
                }
            }
        }
        return new Connection(url, user, password, origin);
    }

    static boolean sameUrl(String a, String b) {
        return Objects.equals(strip(a), strip(b));
    }

    private static String strip(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static String first(String flag, String env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        return env == null || env.isBlank() ? null : env;
    }
}
