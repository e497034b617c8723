package io.ferry.orchestrator.api;

import io.ferry.orchestrator.support.Untrusted;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;

/**
 * A body Spring cannot read (bad JSON on POST /api/replay, say) is a 400 with the parser's reason and where it
 * stopped, instead of Spring's bare "Failed to read request". Ahead of Spring Boot's own problem-details advice.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnreadableBodies {

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason(e));
        problem.setTitle("unreadable request body");
        problem.setProperty("reason", "MALFORMED");
        return problem;
    }

    private static String reason(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException json) {
                var at = json.getLocation();
                return "the body is not valid JSON: " + Untrusted.forLog(json.getOriginalMessage())
                        + (at == null || at.getLineNr() < 0 ? "" : " (at line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + ")");
            }
        }
        return "the body could not be read: " + Untrusted.forLog(e.getMostSpecificCause().getMessage());
    }
}
