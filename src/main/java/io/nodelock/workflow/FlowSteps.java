package io.nodelock.workflow;

import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.operaton.bpm.engine.delegate.BpmnError;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.util.ReflectionUtils;

/**
 * The one binding between the models' service tasks and the flows' {@link Step} methods. A service task names it as
 * {@code ${flowSteps.run(execution, '<topic>')}} behind an asynchronous continuation: the engine's job executor runs
 * it, with the task's own retries and incident, and the {@link ChainingJobExecutor} runs an instance's consecutive
 * steps in one transaction. This class turns the engine's execution into a {@link StepContext}, the returned map into
 * variables, and a {@link RefusedException} into the flow's BPMN error carrying the code and message.
 */
@Component(FlowSteps.BEAN)
public class FlowSteps implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(FlowSteps.class);

    /** The bean name the models use in their expressions. */
    public static final String BEAN = "flowSteps";

    private final ApplicationContext context;
    private final MeterRegistry meters;
    private final FlowMetrics metrics;
    private final Map<String, BoundStep> steps = new TreeMap<>();

    public FlowSteps(ApplicationContext context, MeterRegistry meters, FlowMetrics metrics) {
        this.context = context;
        this.meters = meters;
        this.metrics = metrics;
    }

    /** A {@link Step} method and the bean it runs on. */
    public record BoundStep(String topic, Object bean, Method method, boolean commitsAlone) {

        /** Runs the step; what it returns is the variables to set (empty for a void method). */
        @SuppressWarnings("unchecked")
        public Map<String, Object> invoke(StepContext step) {
            try {
                Object result = method.invoke(bean, step);
                return result == null ? Map.of() : (Map<String, Object>) result;
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("step " + topic + " failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            if (type == null || !type.getName().startsWith("io.nodelock.")) {
                continue;
            }
            Class<?> target = AopUtils.isAopProxy(type) ? AopUtils.getTargetClass(type) : type;
            ReflectionUtils.doWithMethods(target, method -> bind(name, method), method -> method.isAnnotationPresent(Step.class));
        }
    }

    private void bind(String beanName, Method method) {
        Step step = method.getAnnotation(Step.class);
        if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != StepContext.class
                || !(method.getReturnType() == void.class || Map.class.isAssignableFrom(method.getReturnType()))
                || Modifier.isStatic(method.getModifiers())) {
            throw new IllegalStateException("@Step method " + method + " must take one StepContext and return void or a Map");
        }
        BoundStep earlier = steps.get(step.value());
        if (earlier != null) {
            throw new IllegalStateException("topic " + step.value() + " is bound twice: " + earlier.method() + " and " + method);
        }
        ReflectionUtils.makeAccessible(method);
        steps.put(step.value(), new BoundStep(step.value(), context.getBean(beanName), method, step.commitsAlone()));
    }

    /** The step bound to a topic, for a caller that is not the engine (a remote worker, a test replaying a step). */
    public Optional<BoundStep> step(String topic) {
        return Optional.ofNullable(steps.get(topic));
    }

    /**
     * Called by the models' service tasks. Times the step ({@code nodelock.step}) and sets the flow's log fields
     * ({@link FlowLogging}); on the job executor they stay set until the job ends, so the engine's own lines about the
     * job (a failure, an incident) carry them too.
     */
    public void run(DelegateExecution execution, String topic) {
        BoundStep step = steps.get(topic);
        if (step == null) {
            throw new IllegalStateException("no @Step method is bound to topic '" + topic + "' (" + execution.getCurrentActivityId() + ")");
        }
        String flow = FlowMetrics.flowOf(execution.getProcessDefinitionId());
        FlowLogging.enter(execution.getProcessBusinessKey(), execution.getProcessInstanceId(), flow, topic);
        StepContext context = new StepContext(topic, execution.getCurrentActivityId(), execution.getProcessInstanceId(),
                execution.getProcessBusinessKey(), execution::getVariable);
        long started = System.nanoTime();
        String outcome = "error";
        try {
            Map<String, Object> variables = step.invoke(context);
            if (!variables.isEmpty()) {
                execution.setVariables(variables);
            }
            outcome = "ok";
        } catch (RefusedException refused) {
            // Business outcome: the step's writes so far (e.g. the recorded reason) commit with the error path.
            outcome = "refused";
            Refusal refusal = refused.refusal();
            metrics.refused(flow, refusal.code());
            log.info("Step {} refused the request: {}", topic, refusal.code());
            execution.setVariable(FlowDeclaration.VAR_REJECTION_CODE, refusal.code());
            execution.setVariable(FlowDeclaration.VAR_REJECTION_MESSAGE, refusal.message());
            throw new BpmnError(refused.flow().rejectionError(), refusal.message());
        } catch (RuntimeException fault) {
            // Every attempt, including those a rolled-back chain repeats alone; incidents are the engine's own metric.
            meters.counter("nodelock.step.failures", "topic", topic).increment();
            StepChain.stepFailed(fault);
            throw fault;
        } finally {
            long elapsed = System.nanoTime() - started;
            metrics.stepTimer(flow, topic, outcome).record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
            // With the flow's log fields still set: the line names the request and the instance (docs/operations.md).
            log.debug("Step {} {} in {} ms", topic, outcome, elapsed / 1_000_000);
            if (step.commitsAlone()) {
                StepChain.commitAfterThisStep();
            }
            if (!StepChain.inJob()) {
                FlowLogging.clear();
            }
        }
    }
}
