package io.nodelock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The capability packages' boundaries (issue 8): {@code licensefile} and {@code devicetool} stay free of Spring (the
 * device tool embeds them), a capability's {@code web}, {@code worker} and {@code process} sub-packages are its own,
 * and the capabilities do not depend on each other in a cycle. Main classes only.
 */
@AnalyzeClasses(packages = "io.nodelock", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

    /** The license-file format: the JDK, Bouncy Castle and itself; shipped in the device jar. */
    @ArchTest
    static final ArchRule licensefileIsSpringFree = classes().that().resideInAPackage("io.nodelock.licensefile..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.bouncycastle..",
                    "io.nodelock.licensefile..")
            .because("the device tool embeds licensefile without Spring (src/assembly/device.xml)");

    /** The device simulator: the JDK, Bouncy Castle, picocli, licensefile and itself; the device jar holds no more. */
    @ArchTest
    static final ArchRule devicetoolIsSpringFree = classes().that().resideInAPackage("io.nodelock.devicetool..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.bouncycastle..", "picocli..",
                    "io.nodelock.licensefile..", "io.nodelock.devicetool..")
            .because("nodelock-device.jar holds only devicetool, licensefile, picocli and bcprov (src/assembly/device.xml)");

    /**
     * The service never loads a devicetool class (nothing outside refers to one, and devicetool has no Spring
     * annotation, so component scanning registers none), so the server jar leaves picocli out (pom.xml, PackagedJarsIT).
     */
    @ArchTest
    static final ArchRule serviceDoesNotUseDevicetool = noClasses().that().resideOutsideOfPackage("io.nodelock.devicetool..")
            .should().dependOnClassesThat().resideInAnyPackage("io.nodelock.devicetool..", "picocli..")
            .because("picocli is not in the server jar (pom.xml: spring-boot-maven-plugin excludes)");

    /**
     * The domain speaks in refusals (io.nodelock.workflow.Refusal), never in HTTP: only the web sub-packages, the api
     * package and the security setup know problem details, status codes and servlets.
     */
    @ArchTest
    static final ArchRule domainImportsNoWebTypes = noClasses().that().resideInAPackage("io.nodelock..")
            .and().resideOutsideOfPackages("io.nodelock..web..", "io.nodelock.api..")
            .should().dependOnClassesThat().resideInAnyPackage("io.nodelock.api..", "org.springframework.http..",
                    "org.springframework.web..", "jakarta.servlet..")
            .because("a flow's intake and steps are used by the API, the portal and the step runner alike");

    /** web, worker and process belong to their capability: no other capability reaches into them. */
    @ArchTest
    static final ArchRule internalSubPackagesStayInternal = classes().that().resideInAPackage("io.nodelock..")
            .should(notDependOnAnotherCapabilitysInternals());

    /** The top-level capability packages form no dependency cycle. */
    @ArchTest
    static final ArchRule capabilitiesAreFreeOfCycles = slices().matching("io.nodelock.(*)..").should().beFreeOfCycles();

    private static final Pattern INTERNAL = Pattern.compile("io\\.nodelock\\.([a-z0-9]+)\\.(web|worker|process)(\\..*)?");

    private static ArchCondition<JavaClass> notDependOnAnotherCapabilitysInternals() {
        return new ArchCondition<>("not depend on another capability's web, worker or process sub-package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    Matcher internal = INTERNAL.matcher(dependency.getTargetClass().getPackageName());
                    if (!internal.matches()) {
                        continue;
                    }
                    String owner = "io.nodelock." + internal.group(1);
                    if (!origin.getPackageName().equals(owner) && !origin.getPackageName().startsWith(owner + ".")) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
