package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TheConsoleIsServedOpenlyWhileItsDataNeedsAUserTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack();

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) { // follows no redirect: the test sees them
            HttpRequest.Builder request = HttpRequest.newBuilder(stack.uri(path)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void the_page_and_its_modules_need_no_credentials_and_the_bare_address_leads_to_it() throws Exception {
        // when anyone opens the orchestrator's address, the console and one of its modules
        var bare = get("/");
        var page = get("/console/");
        var module = get("/console/app.js");

        // then the address leads to the console, which is served with its modules, under a policy of its own scripts only
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElse("")).endsWith("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    }

    @Test
    void the_consoles_data_calls_are_refused_without_a_user_and_without_the_browsers_dialog() throws Exception {
        // when the console asks for data without credentials, and another client does the same
        var console = get("/api/migrations", "X-Requested-With", "ferry-console");
        var other = get("/api/migrations");

        // then both are refused; only the other client is challenged for Basic credentials (the console has its form)
        assertThat(console.statusCode()).isEqualTo(401);
        assertThat(console.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(console.body()).contains("UNAUTHENTICATED");
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
    }

    @Test
    void a_signed_in_user_learns_its_roles() throws Exception {
        // when each user asks who it is
        var viewer = stack.get("/api/me", FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);
        var operator = stack.get("/api/me", FerryStack.OPERATOR, FerryStack.OPERATOR_PASSWORD);

        // then each is told its name and role, from which the console offers the submit form or not
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.body().get("name").asString()).isEqualTo(FerryStack.VIEWER);
        assertThat(viewer.body().get("roles").get(0).asString()).isEqualTo("VIEWER");
        assertThat(operator.body().get("roles").get(0).asString()).isEqualTo("OPERATOR");
    }
}
