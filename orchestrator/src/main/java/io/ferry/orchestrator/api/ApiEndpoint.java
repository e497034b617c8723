package io.ferry.orchestrator.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of ferry's REST API: served under {@code /api}, its errors answered by {@link ApiProblems}. Scoped, not
 * global, so endpoints with answers of their own (progress, replay) keep them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RestController
@RequestMapping("/api")
public @interface ApiEndpoint {}
