package io.nodelock.rma.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.workflow.TaskHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.operaton.bpm.model.bpmn.BpmnModelInstance;
import org.operaton.bpm.model.bpmn.instance.Error;
import org.operaton.bpm.model.bpmn.instance.ServiceTask;
import org.operaton.bpm.model.bpmn.instance.StartEvent;
import org.operaton.bpm.model.bpmn.instance.UserTask;

/** {@code bpmn/rma-license-transfer.bpmn}, its two forms, the workers and {@link RmaProcess} agree on every shared name. */
class RmaModelTest {

    private static final Path MODEL = Path.of("bpmn", RmaProcess.PROCESS_KEY + ".bpmn");
    private final BpmnModelInstance model = Bpmn.readModelFromFile(MODEL.toFile());

    @Test
    void processTopicsErrorAndFormsMatchTheConstants() throws Exception {
        assertThat((Object) model.getModelElementById(RmaProcess.PROCESS_KEY)).isNotNull();
        TreeSet<String> topics = model.getModelElementsByType(ServiceTask.class).stream().map(ServiceTask::getOperatonTopic)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(topics).isEqualTo(new TreeSet<>(RmaProcess.TOPICS));
        List<String> errorCodes = model.getModelElementsByType(Error.class).stream().map(Error::getErrorCode).toList();
        assertThat(errorCodes).containsOnly(RmaProcess.ERROR_REJECTED);
        StartEvent start = model.getModelElementsByType(StartEvent.class).iterator().next();
        assertThat(start.getAttributeValueNs("http://operaton.org/schema/1.0/bpmn", "formRef")).isEqualTo(RmaProcess.START_FORM);
        assertThat(start.getOperatonInitiator()).isEqualTo(RmaProcess.VAR_INITIATOR);
        UserTask review = model.getModelElementsByType(UserTask.class).iterator().next();
        assertThat(review.getOperatonCandidateGroups()).isEqualTo(RmaProcess.TAC_GROUP);
        assertThat(review.getAttributeValueNs("http://operaton.org/schema/1.0/bpmn", "formRef")).isEqualTo(RmaProcess.REVIEW_FORM);

        assertThat(formKeys(RmaProcess.START_FORM)).containsExactlyElementsOf(RmaProcess.START_FORM_FIELDS);
        assertThat(formKeys(RmaProcess.REVIEW_FORM)).containsExactlyElementsOf(RmaProcess.REVIEW_FORM_FIELDS);
        JsonNode decision = field(RmaProcess.REVIEW_FORM, RmaProcess.VAR_TAC_DECISION);
        List<String> values = new ArrayList<>();
        decision.path("values").forEach(v -> values.add(v.path("value").asText()));
        assertThat(values).containsExactly(RmaProcess.DECISION_APPROVE, RmaProcess.DECISION_REJECT);
    }

    @Test
    void everyVariableTheModelNamesIsAConstant() throws Exception {
        Set<String> constants = new TreeSet<>();
        for (Field f : RmaProcess.class.getFields()) {
            if (f.getName().startsWith("VAR_") && Modifier.isStatic(f.getModifiers())) {
                constants.add((String) f.get(null));
            }
        }
        String xml = Files.readString(MODEL);
        Matcher expressions = Pattern.compile("\\$\\{([^}]*)}").matcher(xml);
        Set<String> referenced = new TreeSet<>();
        while (expressions.find()) {
            Matcher identifiers = Pattern.compile("(?<![.'\\w])([a-zA-Z_]\\w*)(?![\\w(])").matcher(expressions.group(1)
                    .replaceAll("'[^']*'", "''"));
            while (identifiers.find()) {
                referenced.add(identifiers.group(1));
            }
        }
        referenced.removeAll(Set.of("task", "execution", RmaProcess.REVIEW_LISTENER));
        assertThat(constants).containsAll(referenced);
        assertThat(xml).contains("<operaton:taskListener event=\"complete\" delegateExpression=\"${" + RmaProcess.REVIEW_LISTENER + "}\"");
        assertThat(xml).contains("'" + RmaProcess.DECISION_APPROVE + "'");
    }

    @Test
    void workersServeExactlyTheTopics() throws Exception {
        Path dir = Path.of("target", "classes", "io", "nodelock", "rma", "worker");
        List<String> topics = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith("Worker.class")).toList()) {
                Class<?> type = Class.forName("io.nodelock.rma.worker." + file.getFileName().toString().replace(".class", ""));
                Constructor<?> constructor = type.getDeclaredConstructors()[0];
                constructor.setAccessible(true);
                topics.add(((TaskHandler) constructor.newInstance(new Object[constructor.getParameterCount()])).topic());
            }
        }
        assertThat(topics).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(topics)).isEqualTo(new TreeSet<>(RmaProcess.TOPICS));
    }

    private static List<String> formKeys(String formId) throws Exception {
        JsonNode form = new ObjectMapper().readTree(Path.of("forms", formId + ".form").toFile());
        assertThat(form.path("id").asText()).isEqualTo(formId);
        List<String> keys = new ArrayList<>();
        form.path("components").forEach(c -> {
            if (c.has("key")) {
                keys.add(c.path("key").asText());
            }
        });
        return keys;
    }

    private static JsonNode field(String formId, String key) throws Exception {
        JsonNode form = new ObjectMapper().readTree(Path.of("forms", formId + ".form").toFile());
        for (JsonNode c : form.path("components")) {
            if (key.equals(c.path("key").asText())) {
                return c;
            }
        }
        throw new AssertionError("no field " + key + " in " + formId);
    }
}
