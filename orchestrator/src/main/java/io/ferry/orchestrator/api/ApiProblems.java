package io.ferry.orchestrator.api;

import io.ferry.orchestrator.cancel.CancelService;
import io.ferry.orchestrator.submit.RejectedRequestException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The problem answers of the endpoints marked {@link ApiEndpoint}: each with a {@code reason} a client can switch on. */
@RestControllerAdvice(annotations = ApiEndpoint.class)
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // as the controllers' own handlers were: ahead of the global advice
class ApiProblems {

    @ExceptionHandler(RejectedRequestException.class)
    ProblemDetail rejected(RejectedRequestException e) {
        HttpStatus status = switch (e.reason()) {
            case VM_NOT_FOUND, DESTINATION_UNKNOWN -> HttpStatus.NOT_FOUND;
            case VM_ALREADY_MIGRATING, HOST_UNREACHABLE, REQUEST_ID_CONFLICT, HOST_NOT_ACTIVE, NO_DESTINATION ->
                    HttpStatus.CONFLICT;
            case MALFORMED, INVALID_REQUEST, SOURCE_MISMATCH, SAME_HOST, INSUFFICIENT_MEMORY, CPU_INCOMPATIBLE ->
                    HttpStatus.BAD_REQUEST;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle("migration request rejected");
        problem.setProperty("reason", e.reason().name());
        e.field().ifPresent(field -> problem.setProperty("field", field));
        return problem;
    }

    @ExceptionHandler(CancelService.CancelRefusedException.class)
    ProblemDetail cancelRefused(CancelService.CancelRefusedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("cancel refused");
        problem.setProperty("reason", "CANCEL_REFUSED");
        problem.setProperty("state", e.state());
        return problem;
    }

    @ExceptionHandler(io.ferry.orchestrator.drain.DrainService.AlreadyDrainingException.class)
    ProblemDetail alreadyDraining(io.ferry.orchestrator.drain.DrainService.AlreadyDrainingException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("drain refused");
        problem.setProperty("reason", "ALREADY_DRAINING");
        return problem;
    }

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("not found");
        problem.setProperty("reason", "NOT_FOUND");
        return problem;
    }

    @ExceptionHandler(InvalidParameter.class)
    ProblemDetail invalidParameter(InvalidParameter e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("reason", "INVALID_ARGUMENT");
        problem.setProperty("field", e.field());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("reason", "INVALID_ARGUMENT");
        return problem;
    }
}
