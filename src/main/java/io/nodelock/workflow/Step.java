package io.nodelock.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method of a flow's steps bean to the service tasks of its models that name the topic: in BPMN,
 * {@code operaton:expression="${flowSteps.run(execution, 'check-udi')}"}. The method takes one {@link StepContext} and
 * returns nothing or the variables to set ({@code Map<String, Object>}). It throws a {@link RefusedException} for a
 * business outcome the model catches; anything else is a technical fault, retried and raised as an incident at that
 * task. The method never sees the engine, so the same code can serve a remote external-task worker.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Step {

    /** The topic, kebab-case verb-object ({@code sign-license}); one method per topic across all flows. */
    String value();

    /**
     * Whether the transaction commits right after this step instead of running the instance's next steps in it. A step
     * that locks a row many instances share (a PAK line's unit count) says so: the lock then ends with this step, and
     * the other fulfillments of that PAK do not wait for the signing and mailing of this one.
     */
    boolean commitsAlone() default false;
}
