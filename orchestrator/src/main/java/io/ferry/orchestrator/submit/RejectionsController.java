package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.Filters;
import io.ferry.orchestrator.api.Page;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** REST: requests that never became a migration, newest first. */
@ApiEndpoint
class RejectionsController {
    private final Rejections rejections;

    RejectionsController(Rejections rejections) {
        this.rejections = rejections;
    }

    @GetMapping("/rejections")
    Page<Rejections.RejectionView> rejections(@RequestParam(required = false) String reason,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new IllegalArgumentException("page must be 0 or more and size between 1 and 500");
        }
        Filters.check("reason", reason);
        return rejections.list(reason, from, to, page, size);
    }
}
