package io.ferry.orchestrator.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The REST API requires HTTP Basic authentication: OPERATOR may submit and cancel, VIEWER may only read. Health, the
 * OpenAPI document and the web console's static files stay open (they reveal no migration); metrics need a user like
 * the API, and so does every call the console makes for its data.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * The users, as a plain lookup: were the store able to update passwords (as InMemoryUserDetailsManager is), Spring
     * Security would re-encode a plain password with bcrypt at its first login, and every call after would pay for it.
     */
    @Bean
    UserDetailsService users(@Value("${ferry.orchestrator.users:}") String spec) {
        Users users = Users.parse(spec);
        InMemoryUserDetailsManager store = new InMemoryUserDetailsManager(users.users().stream()
                .map(u -> User.withUsername(u.name()).password(u.password()).roles(u.role()).build()).toList());
        return store::loadUserByUsername;
    }

    /** Passwords as configured ({noop} or {bcrypt}), each one checked again at most every few minutes. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new RememberedPasswords(PasswordEncoderFactories.createDelegatingPasswordEncoder(), System::nanoTime);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable()) // no cookies or sessions: every call carries its credentials
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // the console keeps its user's credentials in sessionStorage: only its own scripts may run or call out
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; "
                        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'")))
                .authorizeHttpRequests(auth -> auth
                        // an async (SSE) or error dispatch continues a request that was authorized already
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/error").permitAll()
                        // the console's page, scripts and styles: code, no data; its data calls are /api calls like any
                        .requestMatchers(HttpMethod.GET, "/", "/console", "/console/", "/console/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/migrations", "/api/migrations/*/cancel", "/api/hosts/*/drain",
                                "/api/hosts/*/drain/cancel", "/api/hosts/*/undrain").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/api/replay", "/api/migrations/*/what-if")
                                .hasAnyRole("OPERATOR", "VIEWER")
                        .requestMatchers(HttpMethod.GET, "/api/estimate").hasAnyRole("OPERATOR", "VIEWER")
                        .requestMatchers(HttpMethod.GET, "/api/**", "/actuator/**").hasAnyRole("OPERATOR", "VIEWER")
                        .anyRequest().denyAll())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> problem(request, response, 401,
                        "authentication required", "send HTTP Basic credentials of a ferry user (ferry.orchestrator.users)",
                        "UNAUTHENTICATED")))
                .exceptionHandling(ex -> ex.accessDeniedHandler((request, response, e) -> problem(request, response, 403,
                        "not allowed", "user '" + (request.getUserPrincipal() == null ? "?" : request.getUserPrincipal()
                                .getName()) + "' may not " + request.getMethod() + " " + request.getRequestURI()
                                + "; submitting and cancelling need the OPERATOR role", "FORBIDDEN")));
        return http.build();
    }

    private static void problem(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        // The console asks for credentials in its own form and marks its calls with X-Requested-With: a Basic challenge
        // would make the browser pop its native dialog over the form. Every other client is challenged as before.
        if (status == 401 && request.getHeader("X-Requested-With") == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"ferry\"");
        }
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\"}");
    }
}
