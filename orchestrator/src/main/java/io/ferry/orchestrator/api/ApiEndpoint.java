package io.ferry.orchestrator.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller whose errors {@link ApiProblems} answers. Scoped, not global, so endpoints with answers of their
 * own (progress, replay) keep them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface ApiEndpoint {}
