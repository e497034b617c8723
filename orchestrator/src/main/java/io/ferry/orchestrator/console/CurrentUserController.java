package io.ferry.orchestrator.console;

import io.ferry.orchestrator.api.ApiEndpoint;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * REST: who the caller is and what roles it has. The console checks its login with it and offers the submit form only
 * to an OPERATOR (the API refuses anyone else all the same).
 */
@ApiEndpoint
class CurrentUserController {

    record CurrentUser(String name, List<String> roles) {}

    @GetMapping("/me")
    CurrentUser me(Authentication user) {
        // only the roles: Spring Security also grants authorities of its own, such as how the user authenticated
        return new CurrentUser(user.getName(), user.getAuthorities().stream().map(a -> a.getAuthority())
                .filter(a -> a.startsWith("ROLE_")).map(role -> role.substring(5)).sorted().toList());
    }
}
