package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * House rules for every model in {@code bpmn/}: ids people can read in Cockpit, a process key equal to the file name,
 * external-task topics as verb-object, group-based user tasks, named gateway branches, complete diagram data and
 * start/task forms that exist in {@code forms/}.
 */
class BpmnConventionsTest {

    static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
    static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
    static final String DI = "http://www.omg.org/spec/DD/20100524/DI";
    static final List<String> EXTENSION_NAMESPACES = List.of("http://operaton.org/schema/1.0/bpmn",
            "http://camunda.org/schema/1.0/bpmn");

    static final Path BPMN_DIR = Path.of("bpmn");
    static final Path FORMS_DIR = Path.of("forms");

    /** Flow node element names (BPMN local names) the conventions allow; the id prefix is the capitalised name. */
    static final Set<String> ALLOWED_FLOW_NODES = Set.of("startEvent", "endEvent", "serviceTask", "userTask",
            "exclusiveGateway", "parallelGateway", "eventBasedGateway", "boundaryEvent", "intermediateCatchEvent",
            "intermediateThrowEvent", "subProcess", "callActivity", "scriptTask", "sendTask", "receiveTask",
            "businessRuleTask");
    /** Flow nodes BPMN has but the conventions do not allow (no id prefix is defined for them). */
    static final Set<String> OTHER_FLOW_NODES = Set.of("task", "manualTask", "inclusiveGateway", "complexGateway",
            "transaction", "adHocSubProcess", "implicitThrowEvent");

    static final Pattern FLOW_NODE_ID = Pattern.compile("^(StartEvent|EndEvent|ServiceTask|UserTask|ExclusiveGateway|"
            + "ParallelGateway|EventBasedGateway|BoundaryEvent|IntermediateCatchEvent|IntermediateThrowEvent|SubProcess|"
            + "CallActivity|ScriptTask|SendTask|ReceiveTask|BusinessRuleTask)_[A-Z][A-Za-z0-9]*$");
    static final Pattern KEBAB_CASE = Pattern.compile("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
    static final Pattern TOPIC = Pattern.compile("^[a-z]+(-[a-z]+)+$");

    static Stream<Path> bpmnFiles() throws IOException {
        try (Stream<Path> files = Files.list(BPMN_DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".bpmn")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreModels() throws IOException {
        assertThat(BPMN_DIR).as("run with the project directory as working directory").isDirectory();
        assertThat(bpmnFiles()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void parsesWithTheEngineModelApi(Path file) {
        assertThatCode(() -> Bpmn.validateModel(Bpmn.readModelFromFile(file.toFile()))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void hasExactlyOneExecutableProcessNamedLikeTheFile(Path file) throws Exception {
        List<Element> executable = children(parse(file).getDocumentElement(), BPMN, "process").stream()
                .filter(p -> "true".equals(p.getAttribute("isExecutable")))
                .toList();
        assertThat(executable).as("%s: executable processes", file).hasSize(1);
        String id = executable.get(0).getAttribute("id");
        assertThat(id).as("%s: process id", file).matches(KEBAB_CASE);
        assertThat(id).as("%s: process id", file).isEqualTo(baseName(file));
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void setsHistoryTimeToLive(Path file) throws Exception {
        Element process = executableProcess(file);
        assertThat(extension(process, "historyTimeToLive")).as("%s: historyTimeToLive", file).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void flowNodeIdsNameTheirType(Path file) throws Exception {
        List<String> violations = new ArrayList<>();
        for (Element node : flowNodes(executableProcess(file))) {
            String type = node.getLocalName();
            String id = node.getAttribute("id");
            if (!ALLOWED_FLOW_NODES.contains(type)) {
                violations.add(id + ": element type " + type + " is not allowed by the conventions");
            } else if (!FLOW_NODE_ID.matcher(id).matches()) {
                violations.add(id + ": id does not match " + FLOW_NODE_ID.pattern());
            } else if (!id.startsWith(prefix(type) + "_")) {
                violations.add(id + ": a " + type + " must have an id starting with " + prefix(type) + "_");
            }
        }
        assertThat(violations).as(file.toString()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void sequenceFlowIdsStartWithFlow(Path file) throws Exception {
        List<String> bad = sequenceFlows(executableProcess(file)).stream()
                .map(f -> f.getAttribute("id"))
                .filter(id -> !id.startsWith("Flow_"))
                .toList();
        assertThat(bad).as("%s: sequence flows not named Flow_*", file).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void externalTasksHaveVerbObjectTopics(Path file) throws Exception {
        List<String> violations = new ArrayList<>();
        for (Element element : descendants(executableProcess(file), BPMN)) {
            if (!"external".equals(extension(element, "type"))) {
                continue;
            }
            String topic = extension(element, "topic");
            if (topic == null || !TOPIC.matcher(topic).matches()) {
                violations.add(element.getAttribute("id") + ": topic '" + topic + "' is not kebab-case verb-object");
            }
        }
        assertThat(violations).as(file.toString()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void userTasksUseCandidateGroupsNeverAssignee(Path file) throws Exception {
        List<String> violations = new ArrayList<>();
        for (Element task : descendants(executableProcess(file), BPMN, "userTask")) {
            String id = task.getAttribute("id");
            String groups = extension(task, "candidateGroups");
            if (groups == null || groups.isBlank()) {
                violations.add(id + ": no candidateGroups");
            }
            if (extension(task, "assignee") != null) {
                violations.add(id + ": has an assignee");
            }
        }
        assertThat(violations).as(file.toString()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void exclusiveGatewayBranchesAreNamed(Path file) throws Exception {
        Element process = executableProcess(file);
        List<String> unnamed = new ArrayList<>();
        for (Element gateway : descendants(process, BPMN, "exclusiveGateway")) {
            for (Element flow : sequenceFlows(process)) {
                if (flow.getAttribute("sourceRef").equals(gateway.getAttribute("id")) && flow.getAttribute("name").isBlank()) {
                    unnamed.add(gateway.getAttribute("id") + " -> " + flow.getAttribute("id"));
                }
            }
        }
        assertThat(unnamed).as("%s: unnamed outgoing flows of exclusive gateways", file).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void everyFlowNodeAndSequenceFlowHasDiagramData(Path file) throws Exception {
        Document document = parse(file);
        Element process = executableProcess(file);
        Set<String> shapes = new HashSet<>();
        for (Element shape : descendants(document.getDocumentElement(), BPMNDI, "BPMNShape")) {
            if (!descendants(shape, DC, "Bounds").isEmpty()) {
                shapes.add(shape.getAttribute("bpmnElement"));
            }
        }
        Set<String> edges = new HashSet<>();
        for (Element edge : descendants(document.getDocumentElement(), BPMNDI, "BPMNEdge")) {
            if (children(edge, DI, "waypoint").size() >= 2) {
                edges.add(edge.getAttribute("bpmnElement"));
            }
        }
        Set<String> planes = new HashSet<>();
        descendants(document.getDocumentElement(), BPMNDI, "BPMNPlane")
                .forEach(p -> planes.add(p.getAttribute("bpmnElement")));

        List<String> missing = new ArrayList<>();
        if (!planes.contains(process.getAttribute("id"))) {
            missing.add(process.getAttribute("id") + " (no BPMNPlane)");
        }
        for (Element node : flowNodes(process)) {
            if (!shapes.contains(node.getAttribute("id"))) {
                missing.add(node.getAttribute("id") + " (no BPMNShape with bounds)");
            }
        }
        for (Element flow : sequenceFlows(process)) {
            if (!edges.contains(flow.getAttribute("id"))) {
                missing.add(flow.getAttribute("id") + " (no BPMNEdge with waypoints)");
            }
        }
        assertThat(missing).as("%s: elements Cockpit cannot draw", file).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("bpmnFiles")
    void formRefsNameFormsInTheFormsDirectory(Path file) throws Exception {
        List<String> violations = new ArrayList<>();
        for (Element element : descendants(executableProcess(file), BPMN)) {
            String formRef = extension(element, "formRef");
            if (formRef == null) {
                continue;
            }
            String id = element.getAttribute("id");
            Path form = FORMS_DIR.resolve(formRef + ".form");
            if (!Files.isRegularFile(form)) {
                violations.add(id + ": formRef '" + formRef + "' but there is no " + form);
                continue;
            }
            JsonNode json = new ObjectMapper().readTree(form.toFile());
            if (!formRef.equals(json.path("id").asText(null))) {
                violations.add(id + ": " + form + " has id '" + json.path("id").asText(null) + "', not '" + formRef + "'");
            }
        }
        assertThat(violations).as(file.toString()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    static Element executableProcess(Path file) throws Exception {
        return children(parse(file).getDocumentElement(), BPMN, "process").stream()
                .filter(p -> "true".equals(p.getAttribute("isExecutable")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no executable process"));
    }

    /** An Operaton (or legacy Camunda) extension attribute, null when absent. */
    static String extension(Element element, String name) {
        for (String namespace : EXTENSION_NAMESPACES) {
            if (element.hasAttributeNS(namespace, name)) {
                return element.getAttributeNS(namespace, name);
            }
        }
        return null;
    }

    /** Flow nodes of every type in the process and its sub-processes. */
    static List<Element> flowNodes(Element process) {
        return descendants(process, BPMN).stream()
                .filter(e -> ALLOWED_FLOW_NODES.contains(e.getLocalName()) || OTHER_FLOW_NODES.contains(e.getLocalName()))
                .toList();
    }

    static List<Element> sequenceFlows(Element process) {
        return descendants(process, BPMN, "sequenceFlow");
    }

    static String prefix(String localName) {
        return Character.toUpperCase(localName.charAt(0)) + localName.substring(1);
    }

    static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    static List<Element> descendants(Element root, String namespace) {
        return descendants(root, namespace, "*");
    }

    static List<Element> descendants(Element root, String namespace, String localName) {
        NodeList nodes = root.getElementsByTagNameNS(namespace, localName);
        List<Element> elements = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> elements = new ArrayList<>();
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                elements.add(e);
            }
        }
        return elements;
    }
}
