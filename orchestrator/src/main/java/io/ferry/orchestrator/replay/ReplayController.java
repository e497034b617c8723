package io.ferry.orchestrator.replay;

import io.ferry.orchestrator.core.Ids.MigrationId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** REST for the replay debugger: replay a migration of this log, export one, or replay an export from elsewhere. */
@RestController
@RequestMapping("/api")
class ReplayController {
    private final ReplayService replays;

    ReplayController(ReplayService replays) {
        this.replays = replays;
    }

    @GetMapping("/migrations/{id}/replay")
    ResponseEntity<?> replay(@PathVariable String id, @RequestParam(required = false) Integer until) {
        ReplayService.ReplayView view = replays.replay(MigrationId.parse(id), until);
        return view == null ? notFound(id) : ResponseEntity.ok(view);
    }

    @GetMapping("/migrations/{id}/export")
    ResponseEntity<?> export(@PathVariable String id) {
        JsonNode doc = replays.export(MigrationId.parse(id));
        return doc == null ? notFound(id) : ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"migration-" + id + ".json\"").body(doc);
    }

    @PostMapping("/replay")
    ReplayService.ReplayView replayExport(@RequestBody JsonNode export, @RequestParam(required = false) Integer until) {
        return replays.fromExport(export, until);
    }

    private static ResponseEntity<ProblemDetail> notFound(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no migration " + id
                + "; list them with GET /api/migrations");
        problem.setProperty("reason", "NOT_FOUND");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badExport(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("cannot replay");
        problem.setProperty("reason", "INVALID_EXPORT");
        return problem;
    }
}
