package io.nodelock.fulfillment.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.workflow.TaskHandler;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.operaton.bpm.model.bpmn.BpmnModelInstance;
import org.operaton.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.operaton.bpm.model.bpmn.instance.Process;
import org.operaton.bpm.model.bpmn.instance.ServiceTask;
import org.operaton.bpm.model.bpmn.instance.StartEvent;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code bpmn/pak-fulfillment.bpmn}, {@code forms/pak-registration.form}, the workers and {@link PakFulfillmentProcess}
 * agree on every name they share.
 */
class PakFulfillmentModelTest {

    private static final Path MODEL = Path.of("bpmn", PakFulfillmentProcess.PROCESS_KEY + ".bpmn");
    private static final Path FORM = Path.of("forms", PakFulfillmentProcess.START_FORM + ".form");
    private static final String WORKER_PACKAGE = "io.nodelock.fulfillment.worker";
    private static final List<String> EXTENSION_NAMESPACES = List.of("http://operaton.org/schema/1.0/bpmn",
            "http://camunda.org/schema/1.0/bpmn");

    private static BpmnModelInstance model;
    private static Process process;
    private static JsonNode form;

    @BeforeAll
    static void load() throws Exception {
        model = Bpmn.readModelFromFile(MODEL.toFile());
        List<Process> executable = model.getModelElementsByType(Process.class).stream().filter(Process::isExecutable).toList();
        assertThat(executable).hasSize(1);
        process = executable.get(0);
        form = new ObjectMapper().readTree(FORM.toFile());
    }

    @Test
    void processIdIsTheProcessKey() {
        assertThat(process.getId()).isEqualTo(PakFulfillmentProcess.PROCESS_KEY);
    }

    @Test
    void externalTaskTopicsAreTheTopics() {
        List<String> topics = model.getModelElementsByType(ServiceTask.class).stream()
                .filter(t -> "external".equals(t.getOperatonType()))
                .map(ServiceTask::getOperatonTopic)
                .toList();
        assertThat(PakFulfillmentProcess.TOPICS).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(topics)).isEqualTo(new TreeSet<>(PakFulfillmentProcess.TOPICS));
        // No service task in this model runs anything but an external task.
        assertThat(model.getModelElementsByType(ServiceTask.class)).allMatch(t -> "external".equals(t.getOperatonType()));
    }

    @Test
    void workersHandleExactlyTheTopics() throws Exception {
        List<Class<?>> handlers = workerClasses().stream()
                .filter(TaskHandler.class::isAssignableFrom)
                .filter(c -> !c.isInterface() && !Modifier.isAbstract(c.getModifiers()))
                .toList();
        assertThat(handlers).as("TaskHandlers in %s", WORKER_PACKAGE).isNotEmpty();
        List<String> topics = new ArrayList<>();
        for (Class<?> handler : handlers) {
            topics.add(instantiateWithNulls(handler).topic());
        }
        assertThat(topics).as("one worker per topic").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(topics)).isEqualTo(new TreeSet<>(PakFulfillmentProcess.TOPICS));
    }

    @Test
    void boundaryErrorsCatchTheRejectionErrorCode() {
        Collection<org.operaton.bpm.model.bpmn.instance.Error> errors =
                model.getModelElementsByType(org.operaton.bpm.model.bpmn.instance.Error.class);
        assertThat(errors).extracting(e -> e.getErrorCode()).containsOnly(PakFulfillmentProcess.ERROR_REJECTED);
        Collection<ErrorEventDefinition> definitions = model.getModelElementsByType(ErrorEventDefinition.class);
        assertThat(definitions).isNotEmpty().allSatisfy(d -> {
            assertThat(d.getError()).as("%s errorRef", d.getId()).isNotNull();
            assertThat(d.getError().getErrorCode()).isEqualTo(PakFulfillmentProcess.ERROR_REJECTED);
        });
    }

    @Test
    void startEventUsesTheStartForm() {
        List<StartEvent> starts = process.getChildElementsByType(StartEvent.class).stream().toList();
        assertThat(starts).hasSize(1);
        assertThat(starts.get(0).getOperatonFormRef()).isEqualTo(PakFulfillmentProcess.START_FORM);
    }

    @Test
    void formIdAndFieldsMatchTheConstants() {
        assertThat(form.path("id").asText()).isEqualTo(PakFulfillmentProcess.START_FORM);
        // FORM_FIELDS documents the order the form shows them in.
        assertThat(formKeys(form.path("components"))).containsExactlyElementsOf(PakFulfillmentProcess.FORM_FIELDS);
    }

    @Test
    void variablesTheModelAndFormReferToAreConstants() throws Exception {
        Set<String> constants = variableConstants();
        assertThat(constants).containsAll(PakFulfillmentProcess.FORM_FIELDS);

        Set<String> referenced = new LinkedHashSet<>(formKeys(form.path("components")));
        referenced.addAll(modelVariables());
        assertThat(referenced).as("variables named in the model and form").isNotEmpty();
        assertThat(constants).as("VAR_* constants of PakFulfillmentProcess").containsAll(referenced);
    }

    // ---------------------------------------------------------------- helpers

    /** Values of every {@code VAR_*} String constant. */
    private static Set<String> variableConstants() throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field field : PakFulfillmentProcess.class.getFields()) {
            if (field.getName().startsWith("VAR_") && Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                values.add((String) field.get(null));
            }
        }
        return values;
    }

    private static final Set<String> VARIABLE_ATTRIBUTES = Set.of("initiator", "errorCodeVariable",
            "errorMessageVariable", "resultVariable", "collection", "elementVariable", "variableName");
    private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{([^}]*)}");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![.\\w])([A-Za-z_][A-Za-z0-9_]*)(?!\\s*\\()");
    /** EL keywords and objects the engine provides in expressions; these are not process variables. */
    private static final Set<String> NOT_VARIABLES = Set.of("true", "false", "null", "empty", "not", "and", "or", "eq",
            "ne", "lt", "gt", "le", "ge", "div", "mod", "instanceof", "execution", "task", "externalTask",
            "authenticatedUserId", "currentUser", "currentUserGroups", "dateTime", "variables", "S", "XML", "JSON");

    /**
     * Variable names the model mentions: variable-naming extension attributes (initiator, errorCodeVariable...),
     * input/output and in/out mappings, and identifiers in expressions. Read with the JDK's DOM parser so that every
     * attribute and text node is seen, whatever the model API exposes.
     */
    private static Set<String> modelVariables() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(MODEL.toFile());
        NodeList processes = document.getElementsByTagNameNS("http://www.omg.org/spec/BPMN/20100524/MODEL", "process");
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < processes.getLength(); i++) {
            collect((Element) processes.item(i), names);
        }
        return names;
    }

    private static void collect(Element element, Set<String> names) {
        for (String namespace : EXTENSION_NAMESPACES) {
            for (String attribute : VARIABLE_ATTRIBUTES) {
                if (element.hasAttributeNS(namespace, attribute)) {
                    names.add(element.getAttributeNS(namespace, attribute));
                }
            }
        }
        if (EXTENSION_NAMESPACES.contains(element.getNamespaceURI())) {
            switch (element.getLocalName()) {
                case "inputParameter", "outputParameter" -> addIfPresent(names, element.getAttribute("name"));
                case "in", "out" -> {
                    addIfPresent(names, element.getAttribute("source"));
                    addIfPresent(names, element.getAttribute("target"));
                }
                default -> { }
            }
        }
        List<String> texts = new ArrayList<>();
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            texts.add(attributes.item(i).getNodeValue());
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                texts.add(child.getNodeValue());
            }
        }
        for (String text : texts) {
            Matcher expression = EXPRESSION.matcher(text);
            while (expression.find()) {
                Matcher identifier = IDENTIFIER.matcher(expression.group(1).replaceAll("'[^']*'|\"[^\"]*\"", ""));
                while (identifier.find()) {
                    if (!NOT_VARIABLES.contains(identifier.group(1))) {
                        names.add(identifier.group(1));
                    }
                }
            }
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                collect(e, names);
            }
        }
    }

    private static void addIfPresent(Set<String> names, String value) {
        if (value != null && !value.isBlank()) {
            names.add(value);
        }
    }

    /** Form field keys in document order, descending into groups and dynamic lists. */
    private static List<String> formKeys(JsonNode components) {
        List<String> keys = new ArrayList<>();
        for (JsonNode component : components) {
            if (component.hasNonNull("key")) {
                keys.add(component.get("key").asText());
            }
            if (component.has("components")) {
                keys.addAll(formKeys(component.get("components")));
            }
        }
        return keys;
    }

    private static List<Class<?>> workerClasses() throws Exception {
        String path = WORKER_PACKAGE.replace('.', '/');
        URL url = PakFulfillmentProcess.class.getClassLoader().getResource(path);
        assertThat(url).as("%s on the class path", path).isNotNull();
        assertThat(url.getProtocol()).as("worker classes read from a directory (target/classes)").isEqualTo("file");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(new File(url.toURI()).toPath())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class")) {
                    classes.add(Class.forName(WORKER_PACKAGE + "." + name.substring(0, name.length() - ".class".length())));
                }
            }
        }
        return classes;
    }

    /** Workers need a FulfillmentService only to handle tasks; {@code topic()} works without one. */
    private static TaskHandler instantiateWithNulls(Class<?> type) throws Exception {
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        assertThat(constructors).as("%s constructors", type.getSimpleName()).hasSize(1);
        Constructor<?> constructor = constructors[0];
        constructor.setAccessible(true);
        Object[] arguments = new Object[constructor.getParameterCount()];
        Class<?>[] types = constructor.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i].isPrimitive()) {
                arguments[i] = types[i] == boolean.class ? Boolean.FALSE : 0;
            }
        }
        return (TaskHandler) constructor.newInstance(arguments);
    }
}
