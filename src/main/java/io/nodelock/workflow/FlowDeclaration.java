package io.nodelock.workflow;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names one flow shares between its BPMN model, its Camunda Forms and the Java side, declared once per flow (in
 * its {@code process} package). The model contract test holds every model in {@code bpmn/} and every form in
 * {@code forms/} to its declaration, and every {@link Step} method to the topics declared.
 *
 * @param processKey  the process id, also the model's file name ({@code bpmn/<processKey>.bpmn})
 * @param topics      the topics of its steps, one {@link Step} method each
 * @param errorCodes  the BPMN error codes its boundary events catch
 * @param messages    the message names it waits for
 * @param forms       form id ({@code forms/<id>.form}) to the keys of its fields, in the order the form shows them
 * @param fieldValues a form field to the values its select or radio offers (empty if none is pinned)
 * @param variables   every process variable the model or its forms may name
 * @param beans       Spring beans the model names in expressions (listeners, delegates)
 * @param candidateGroups the engine groups its user tasks are offered to; they get what Tasklist needs of this flow
 * @param refusals    how the flow's refusals read: the problem title, and the HTTP status of each code
 */
public record FlowDeclaration(String processKey, List<String> topics, List<String> errorCodes, List<String> messages,
                              Map<String, List<String>> forms, Map<String, List<String>> fieldValues, Set<String> variables,
                              Set<String> beans, Set<String> candidateGroups, Refusals refusals) {

    /** The variables a step's refusal hands to the model's error path. */
    public static final String VAR_REJECTION_CODE = "rejectionCode";
    public static final String VAR_REJECTION_MESSAGE = "rejectionMessage";

    /**
     * @param title    the title of the flow's refusal problems, e.g. "RMA refused"
     * @param statuses the HTTP status of each refusal code; any other code is 422, {@link Refusal#INVALID_REQUEST} 400
     */
    public record Refusals(String title, Map<String, Integer> statuses) {

        public Refusals {
            statuses = Map.copyOf(statuses);
        }

        public int statusOf(String code) {
            return statuses.getOrDefault(code, Refusal.INVALID_REQUEST.equals(code) ? 400 : 422);
        }
    }

    /** The exception that carries a refusal of this flow to the API or to the step runner. */
    public RefusedException refuse(Refusal refusal) {
        return new RefusedException(this, refusal);
    }

    /** The BPMN error a step's refusal ends the step with: the model catches it on its rejection path. */
    public String rejectionError() {
        if (errorCodes.isEmpty()) {
            throw new IllegalStateException("flow " + processKey + " declares no BPMN error for rejections");
        }
        return errorCodes.get(0);
    }

    public FlowDeclaration {
        topics = List.copyOf(topics);
        errorCodes = List.copyOf(errorCodes);
        messages = List.copyOf(messages);
        forms = Map.copyOf(forms);
        fieldValues = Map.copyOf(fieldValues);
        variables = Set.copyOf(variables);
        beans = Set.copyOf(beans);
        candidateGroups = Set.copyOf(candidateGroups);
    }

    /** The values of the {@code VAR_*} String constants of a flow's names class: its variables, declared there once. */
    public static Set<String> variablesOf(Class<?> names) {
        Set<String> variables = new TreeSet<>();
        for (Field field : names.getFields()) {
            if (field.getName().startsWith("VAR_") && Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    variables.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return variables;
    }
}
