package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.operaton.bpm.model.bpmn.BpmnModelInstance;
import org.operaton.bpm.model.bpmn.instance.Error;
import org.operaton.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.operaton.bpm.model.bpmn.instance.Message;
import org.operaton.bpm.model.bpmn.instance.ServiceTask;
import org.operaton.bpm.model.bpmn.instance.StartEvent;
import org.operaton.bpm.model.bpmn.instance.UserTask;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The one contract between each model in {@code bpmn/}, its forms in {@code forms/}, its {@link FlowDeclaration} and
 * the task handlers: every name they share is declared once and used alike everywhere. The declarations and the
 * handlers are found in the compiled classes, so a new flow is held to the contract as soon as it declares itself.
 */
class ModelContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EXTENSION_NAMESPACES = List.of("http://operaton.org/schema/1.0/bpmn",
            "http://camunda.org/schema/1.0/bpmn");
    private static final Set<String> VARIABLE_ATTRIBUTES = Set.of("initiator", "errorCodeVariable",
            "errorMessageVariable", "resultVariable", "collection", "elementVariable", "variableName");
    private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{([^}]*)}");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![.\\w])([A-Za-z_][A-Za-z0-9_]*)(?!\\s*\\()");
    /** EL keywords and objects the engine provides in expressions; these are not process variables. */
    private static final Set<String> NOT_VARIABLES = Set.of("true", "false", "null", "empty", "not", "and", "or", "eq",
            "ne", "lt", "gt", "le", "ge", "div", "mod", "instanceof", "execution", "task", "externalTask",
            "authenticatedUserId", "currentUser", "currentUserGroups", "dateTime", "variables", "S", "XML", "JSON");

    /**
     * Forms no model references: the customer portal renders them for requests that start no BPMN instance (an
     * evaluation is granted in one transaction) or that answer a waiting one through the API (a rehost ticket upload).
     */
    private static final Set<String> PORTAL_ONLY_FORMS = Set.of("evaluation-request", "rehost-ticket-upload");

    private static JavaClasses classes;
    private static Map<String, FlowDeclaration> flows;

    @BeforeAll
    static void importClasses() throws Exception {
        if (flows != null) {
            return;
        }
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.nodelock");
        Map<String, FlowDeclaration> found = new LinkedHashMap<>();
        for (JavaClass type : classes) {
            for (var field : type.getFields()) {
                if (field.getRawType().isEquivalentTo(FlowDeclaration.class) && field.getModifiers().contains(
                        com.tngtech.archunit.core.domain.JavaModifier.STATIC)) {
                    Field reflected = type.reflect().getField(field.getName());
                    FlowDeclaration flow = (FlowDeclaration) reflected.get(null);
                    assertThat(found.put(flow.processKey(), flow)).as("one declaration of %s", flow.processKey()).isNull();
                }
            }
        }
        flows = found;
    }

    static Stream<Named<FlowDeclaration>> flows() throws Exception {
        importClasses();
        return flows.values().stream().map(flow -> Named.of(flow.processKey(), flow));
    }

    @Test
    void everyModelHasADeclarationAndEveryDeclarationAModel() throws IOException {
        Set<String> models;
        try (Stream<Path> files = Files.list(Path.of("bpmn"))) {
            models = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bpmn"))
                    .map(n -> n.substring(0, n.length() - ".bpmn".length())).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(models).isNotEmpty();
        assertThat(new TreeSet<>(flows.keySet())).isEqualTo(models);
    }

    @Test
    void everyFormBelongsToAFlow() throws IOException {
        Set<String> forms;
        try (Stream<Path> files = Files.list(Path.of("forms"))) {
            forms = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".form"))
                    .map(n -> n.substring(0, n.length() - ".form".length())).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> expected = flows.values().stream().flatMap(f -> f.forms().keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        expected.addAll(PORTAL_ONLY_FORMS);
        assertThat(forms).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void stepsErrorsAndMessagesAreTheDeclaredOnes(FlowDeclaration flow) {
        BpmnModelInstance model = model(flow);
        assertThat((Object) model.getModelElementById(flow.processKey())).as("process id").isNotNull();
        assertThat(flow.topics()).doesNotHaveDuplicates();
        Set<String> topics = model.getModelElementsByType(ServiceTask.class).stream().map(ModelContractTest::topicOf)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(topics).isEqualTo(new TreeSet<>(flow.topics()));
        Set<String> errorCodes = model.getModelElementsByType(Error.class).stream().map(Error::getErrorCode)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(errorCodes).isEqualTo(new TreeSet<>(flow.errorCodes()));
        assertThat(model.getModelElementsByType(ErrorEventDefinition.class)).allSatisfy(d ->
                assertThat(d.getError()).as("%s names a declared error", d.getId()).isNotNull());
        Set<String> messages = model.getModelElementsByType(Message.class).stream().map(Message::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(messages).isEqualTo(new TreeSet<>(flow.messages()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void userTasksAreOfferedToTheDeclaredGroups(FlowDeclaration flow) {
        Set<String> groups = new TreeSet<>();
        for (UserTask task : model(flow).getModelElementsByType(UserTask.class)) {
            String candidates = task.getOperatonCandidateGroups();
            assertThat(candidates).as("%s has candidate groups", task.getId()).isNotBlank();
            for (String group : candidates.split(",")) {
                groups.add(group.trim());
            }
        }
        assertThat(groups).isEqualTo(new TreeSet<>(flow.candidateGroups()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void formsAreTheDeclaredOnesWithTheirFields(FlowDeclaration flow) throws IOException {
        BpmnModelInstance model = model(flow);
        Set<String> referenced = new TreeSet<>();
        model.getModelElementsByType(StartEvent.class).forEach(e -> addIfPresent(referenced, e.getOperatonFormRef()));
        model.getModelElementsByType(UserTask.class).forEach(t -> addIfPresent(referenced, t.getOperatonFormRef()));
        assertThat(referenced).isEqualTo(new TreeSet<>(flow.forms().keySet()));
        for (Map.Entry<String, List<String>> form : flow.forms().entrySet()) {
            JsonNode json = JSON.readTree(Path.of("forms", form.getKey() + ".form").toFile());
            assertThat(json.path("id").asText()).as("id of forms/%s.form", form.getKey()).isEqualTo(form.getKey());
            assertThat(formKeys(json.path("components"))).as("fields of %s, in order", form.getKey())
                    .containsExactlyElementsOf(form.getValue());
            for (Map.Entry<String, List<String>> pinned : flow.fieldValues().entrySet()) {
                JsonNode field = field(json.path("components"), pinned.getKey());
                if (field != null) {
                    List<String> values = new ArrayList<>();
                    field.path("values").forEach(v -> values.add(v.path("value").asText()));
                    assertThat(values).as("values of %s in %s", pinned.getKey(), form.getKey()).containsExactlyElementsOf(pinned.getValue());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void everyVariableAndBeanTheModelOrItsFormsNameIsDeclared(FlowDeclaration flow) throws Exception {
        Set<String> named = modelNames(Path.of("bpmn", flow.processKey() + ".bpmn"));
        for (String form : flow.forms().keySet()) {
            named.addAll(formKeys(JSON.readTree(Path.of("forms", form + ".form").toFile()).path("components")));
        }
        named.removeAll(flow.beans());
        named.remove(FlowSteps.BEAN);
        assertThat(flow.variables()).as("declared variables of %s", flow.processKey()).containsAll(named);
        for (List<String> fields : flow.forms().values()) {
            assertThat(flow.variables()).containsAll(fields);
        }
        Set<String> componentNames = new TreeSet<>();
        for (JavaClass type : classes) {
            type.tryGetAnnotationOfType(Component.class).ifPresent(c -> componentNames.add(c.value()));
        }
        assertThat(componentNames).as("beans the model names").containsAll(flow.beans());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void eachTopicHasExactlyOneHandler(FlowDeclaration flow) throws Exception {
        Map<String, List<String>> handlersByTopic = handlersByTopic();
        for (String topic : flow.topics()) {
            assertThat(handlersByTopic.get(topic)).as("handlers of topic %s", topic).hasSize(1);
        }
    }

    @Test
    void everyHandlerServesADeclaredTopic() throws Exception {
        Set<String> declared = flows.values().stream().flatMap(f -> f.topics().stream()).collect(Collectors.toSet());
        assertThat(declared).containsAll(handlersByTopic().keySet());
    }

    // ---- helpers ----

    private static final Pattern STEP_EXPRESSION = Pattern.compile("\\$\\{" + FlowSteps.BEAN + "\\.run\\(execution, '([a-z]+(?:-[a-z]+)*)'\\)}");

    /**
     * The topic a service task runs: a step bound through {@link FlowSteps} behind its own asynchronous continuation
     * (so it has its own job, retries and incident), or an external task for a remote worker.
     */
    private static String topicOf(ServiceTask task) {
        if ("external".equals(task.getOperatonType())) {
            assertThat(task.getOperatonTopic()).as("%s names its topic", task.getId()).isNotBlank();
            return task.getOperatonTopic();
        }
        assertThat(task.isOperatonAsyncBefore()).as("%s runs after an asynchronous continuation", task.getId()).isTrue();
        assertThat(task.getOperatonClass()).as("%s binds no class", task.getId()).isNull();
        assertThat(task.getOperatonDelegateExpression()).as("%s binds no delegate", task.getId()).isNull();
        Matcher step = STEP_EXPRESSION.matcher(String.valueOf(task.getOperatonExpression()));
        assertThat(step.matches()).as("%s runs ${%s.run(execution, '<topic>')}, not %s", task.getId(), FlowSteps.BEAN,
                task.getOperatonExpression()).isTrue();
        return step.group(1);
    }

    private static BpmnModelInstance model(FlowDeclaration flow) {
        return Bpmn.readModelFromFile(Path.of("bpmn", flow.processKey() + ".bpmn").toFile());
    }

    /** Every {@link Step} method in the main classes, by the topic it serves. */
    private static Map<String, List<String>> handlersByTopic() throws Exception {
        Map<String, List<String>> byTopic = new LinkedHashMap<>();
        for (JavaClass type : classes) {
            for (var method : type.getMethods()) {
                if (method.isAnnotatedWith(Step.class)) {
                    byTopic.computeIfAbsent(method.getAnnotationOfType(Step.class).value(), t -> new ArrayList<>()).add(method.getFullName());
                }
            }
        }
        return byTopic;
    }

    /**
     * Names the model mentions: variable-naming extension attributes (initiator, errorCodeVariable...), input/output
     * mappings, and identifiers in expressions (variables, or beans such as listeners). Read with the JDK's DOM parser
     * so that every attribute and text node is seen, whatever the model API exposes.
     */
    private static Set<String> modelNames(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(file.toFile());
        Set<String> names = new TreeSet<>();
        var processes = document.getElementsByTagNameNS("http://www.omg.org/spec/BPMN/20100524/MODEL", "process");
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

    private static JsonNode field(JsonNode components, String key) {
        for (JsonNode component : components) {
            if (key.equals(component.path("key").asText())) {
                return component;
            }
            if (component.has("components")) {
                JsonNode inner = field(component.get("components"), key);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
