package io.nodelock.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation that answers with an {@code ETag} and {@code Cache-Control}, and a request whose
 * {@code If-None-Match} names the current tag with 304 and no body. Its only reader is the API document, which then
 * lists the 304, the headers and the {@code If-None-Match} parameter: the method itself must really do it.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Revalidated {
}
