package io.nodelock.rehost.process;

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
import org.operaton.bpm.model.bpmn.instance.EventBasedGateway;
import org.operaton.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.operaton.bpm.model.bpmn.instance.Message;
import org.operaton.bpm.model.bpmn.instance.MessageEventDefinition;
import org.operaton.bpm.model.bpmn.instance.ServiceTask;
import org.operaton.bpm.model.bpmn.instance.StartEvent;
import org.operaton.bpm.model.bpmn.instance.TimerEventDefinition;

/** {@code bpmn/license-rehost.bpmn}, its start form, the workers and {@link RehostProcess} agree on every shared name. */
class RehostModelTest {

    private static final Path MODEL = Path.of("bpmn", RehostProcess.PROCESS_KEY + ".bpmn");
    private final BpmnModelInstance model = Bpmn.readModelFromFile(MODEL.toFile());

    @Test
    void processTopicsErrorMessageAndFormMatchTheConstants() throws Exception {
        assertThat((Object) model.getModelElementById(RehostProcess.PROCESS_KEY)).isNotNull();
        TreeSet<String> topics = model.getModelElementsByType(ServiceTask.class).stream().map(ServiceTask::getOperatonTopic)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(topics).isEqualTo(new TreeSet<>(RehostProcess.TOPICS));
        assertThat(model.getModelElementsByType(Error.class).stream().map(Error::getErrorCode).toList())
                .containsOnly(RehostProcess.ERROR_REJECTED);
        assertThat(model.getModelElementsByType(Message.class).stream().map(Message::getName).toList())
                .containsExactly(RehostProcess.MESSAGE_REHOST_TICKET_RECEIVED);
        StartEvent start = model.getModelElementsByType(StartEvent.class).iterator().next();
        assertThat(start.getAttributeValueNs("http://operaton.org/schema/1.0/bpmn", "formRef")).isEqualTo(RehostProcess.START_FORM);
        assertThat(start.getOperatonInitiator()).isEqualTo(RehostProcess.VAR_INITIATOR);
        assertThat(formKeys(RehostProcess.START_FORM)).containsExactlyElementsOf(RehostProcess.START_FORM_FIELDS);
    }

    @Test
    void theModelWaitsForTheRehostTicketUntilThePermissionTicketExpires() {
        EventBasedGateway gateway = model.getModelElementsByType(EventBasedGateway.class).iterator().next();
        List<IntermediateCatchEvent> waits = gateway.getSucceedingNodes().filterByType(IntermediateCatchEvent.class).list();
        assertThat(waits).hasSize(2);
        MessageEventDefinition message = waits.stream().flatMap(e -> e.getEventDefinitions().stream())
                .filter(MessageEventDefinition.class::isInstance).map(MessageEventDefinition.class::cast).findFirst().orElseThrow();
        assertThat(message.getMessage().getName()).isEqualTo(RehostProcess.MESSAGE_REHOST_TICKET_RECEIVED);
        TimerEventDefinition timer = waits.stream().flatMap(e -> e.getEventDefinitions().stream())
                .filter(TimerEventDefinition.class::isInstance).map(TimerEventDefinition.class::cast).findFirst().orElseThrow();
        assertThat(timer.getTimeDate().getTextContent()).isEqualTo("${" + RehostProcess.VAR_PERMISSION_EXPIRES_AT + "}");
    }

    @Test
    void everyVariableTheModelNamesIsAConstant() throws Exception {
        Set<String> constants = new TreeSet<>();
        for (Field f : RehostProcess.class.getFields()) {
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
        assertThat(referenced).isNotEmpty();
        assertThat(constants).containsAll(referenced);
    }

    @Test
    void workersServeExactlyTheTopics() throws Exception {
        Path dir = Path.of("target", "classes", "io", "nodelock", "rehost", "worker");
        List<String> topics = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith("Worker.class")).toList()) {
                Class<?> type = Class.forName("io.nodelock.rehost.worker." + file.getFileName().toString().replace(".class", ""));
                Constructor<?> constructor = type.getDeclaredConstructors()[0];
                constructor.setAccessible(true);
                topics.add(((TaskHandler) constructor.newInstance(new Object[constructor.getParameterCount()])).topic());
            }
        }
        assertThat(topics).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(topics)).isEqualTo(new TreeSet<>(RehostProcess.TOPICS));
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
}
