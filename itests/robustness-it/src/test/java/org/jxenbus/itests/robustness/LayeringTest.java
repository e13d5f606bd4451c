package org.jxenbus.itests.robustness;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxenbus.transport.socket.archfixture.SocketTransportReachingIntoCore;
import org.jxenbus.xenstore.api.archfixture.ApiReachingIntoCore;
import org.jxenbus.xenstore.watch.archfixture.WatchReachingIntoSpi;

/**
 * The layering of STYLE.md, checked on the compiled classes of every bundle (their jars on this module's
 * class path): wire (SPI) under transports under core, the API under everything, the consumers (watch,
 * probe, shell, agent, CLI) on the API alone, and no bundle reaching into another's {@code internal}
 * packages, which OSGi would refuse at resolve time anyway but the JPMS and class-path users would not.
 *
 * <p>Every rule must match classes (ArchUnit's default {@code archRule.failOnEmptyShould=true} is kept), and
 * {@link #eachRuleCatchesADeliberatelyBrokenDependency} runs the rules over fixture classes in the test
 * sources that break them, so a rule that silently matches nothing or allows everything fails here.
 */
class LayeringTest {

    private static final String OURS = "org.jxenbus..";
    private static final String API = "org.jxenbus.xenstore.api..";
    private static final String SPI = "org.jxenbus.xenstore.spi..";
    private static final String CORE = "org.jxenbus.xenstore.core..";
    private static final String CLIENT = "org.jxenbus.xenstore.client..";
    private static final String XENDEV = "org.jxenbus.transport.xendev..";
    private static final String SOCKET = "org.jxenbus.transport.socket..";
    private static final String RING = "org.jxenbus.transport.ring..";
    private static final String RING_SERVER = "org.jxenbus.transport.ring.server..";
    private static final String XENBUS = "org.jxenbus.transport.xenbus..";
    private static final String TRANSPORTS = "org.jxenbus.transport..";
    private static final String WATCH = "org.jxenbus.xenstore.watch..";
    private static final String PROBE = "org.jxenbus.xenbus.probe..";
    private static final String SHELL = "org.jxenbus.xenstore.shell..";
    private static final String AGENT = "org.jxenbus.guest.agent..";
    private static final String CLI = "org.jxenbus.xenstore.cli..";
    private static final String CLI_COMMAND = "org.jxenbus.xenstore.cli.command..";
    private static final String SIM = "org.jxenbus.xenstore.sim..";

    private static JavaClasses bundles;

    @BeforeAll
    static void importBundles() {
        bundles = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.jxenbus.xenstore", "org.jxenbus.transport", "org.jxenbus.xenbus",
                        "org.jxenbus.guest");
    }

    /** Classes in {@code layer} may use, of ours, only classes in {@code allowed}. */
    private static ArchRule usesOnly(String layer, String because, String... allowed) {
        DescribedPredicate<JavaClass> permitted = not(resideInAPackage(OURS)).or(resideInAnyPackage(allowed));
        return classes().that().resideInAPackage(layer).should().onlyDependOnClassesThat(permitted).because(because);
    }

    private static List<ArchRule> layerRules() {
        return List.of(
                usesOnly(API, "the API is interfaces and value types that depend on nothing of ours", API),
                usesOnly(SPI, "the SPI builds on the API at most", SPI, API),
                usesOnly(XENDEV, "the Xen device layer speaks only the SPI's ring types", XENDEV, SPI, API),
                usesOnly(SOCKET, "a transport moves bytes for the SPI, never knowing the core", SOCKET, SPI, API),
                usesOnly(RING, "a transport moves bytes for the SPI, never knowing the core", RING, XENDEV, SPI, API),
                usesOnly(XENBUS, "a transport moves bytes for the SPI, never knowing the core", XENBUS, XENDEV, SPI,
                        API),
                usesOnly(CORE, "the core multiplexes over any transport the SPI offers, never a particular one", CORE,
                        SPI, API),
                usesOnly(CLIENT, "the entry point finds the core and the transports through the SPI", CLIENT, SPI,
                        API),
                usesOnly(WATCH, "the watch service is a consumer of the API", WATCH, API),
                usesOnly(PROBE, "the device probe is a consumer of the API", PROBE, API),
                usesOnly(AGENT, "the guest agent is a consumer of the API", AGENT, API),
                usesOnly(CLI_COMMAND, "the CLI's verbs run over any store the API gives them", CLI_COMMAND, API),
                usesOnly(CLI, "the CLI process opens its store through the entry point and then uses the API",
                        CLI, CLIENT, API),
                usesOnly(SHELL, "the shell is a consumer of the API (the CLI's verbs are embedded in its bundle)",
                        SHELL, CLI_COMMAND, API),
                usesOnly(SIM, "the simulator is a server of the wire protocol, over the ring server (and, as a"
                        + " real dom0's xenstored, the Xen device layer for xsd_kva and xsd_port)", SIM, SPI,
                        RING_SERVER, XENDEV));
    }

    private static ArchRule noReachingIntoOtherInternals() {
        return classes().that().resideInAPackage(OURS).should(new ArchCondition<JavaClass>(
                "use no other bundle's internal packages") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getBaseComponentType().getPackageName();
                    int internal = target.indexOf(".internal");
                    if (internal < 0 || !target.startsWith("org.jxenbus.")) {
                        continue;
                    }
                    String owner = target.substring(0, internal);
                    String from = origin.getPackageName();
                    if (!from.equals(owner) && !from.startsWith(owner + ".")) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        }).because("a bundle's internal packages are private to it (exported by none)");
    }

    @Test
    void everyBundleIsImported() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String layer : List.of(API, SPI, CORE, CLIENT, XENDEV, SOCKET, RING, XENBUS, WATCH, PROBE, SHELL, AGENT,
                CLI, SIM)) {
            counts.put(layer, bundles.that(resideInAPackage(layer)).size());
        }
        assertFalse(counts.containsValue(0), "a bundle's classes are missing from the import: " + counts);
    }

    @Test
    void apiDependsOnNothingOfOurs() {
        layerRules().get(0).check(bundles);
    }

    @Test
    void spiDependsOnTheApiAtMost() {
        layerRules().get(1).check(bundles);
    }

    @Test
    void transportsUseOnlyTheSpiAndTheXenDeviceLayer() {
        layerRules().subList(2, 6).forEach(r -> r.check(bundles));
    }

    @Test
    void coreNeverUsesATransport() {
        layerRules().get(6).check(bundles);
        classes().that().resideInAPackage(CORE).should().onlyDependOnClassesThat(not(resideInAPackage(TRANSPORTS)))
                .check(bundles);
    }

    @Test
    void theEntryPointUsesOnlyTheSpiAndTheApi() {
        layerRules().get(7).check(bundles);
    }

    @Test
    void consumersUseOnlyTheApi() {
        layerRules().subList(8, 14).forEach(r -> r.check(bundles));
    }

    @Test
    void theSimulatorUsesOnlyTheSpiTheRingServerAndTheXenDeviceLayer() {
        layerRules().get(14).check(bundles);
    }

    @Test
    void noBundleUsesAnotherBundlesInternalPackages() {
        noReachingIntoOtherInternals().check(bundles);
    }

    @Test
    void eachRuleCatchesADeliberatelyBrokenDependency() {
        JavaClasses broken = new ClassFileImporter().importClasses(ApiReachingIntoCore.class,
                SocketTransportReachingIntoCore.class, WatchReachingIntoSpi.class);
        assertViolated(layerRules().get(0), broken, "ApiReachingIntoCore");
        assertViolated(layerRules().get(3), broken, "SocketTransportReachingIntoCore");
        assertViolated(layerRules().get(8), broken, "WatchReachingIntoSpi");
        assertViolated(noReachingIntoOtherInternals(), broken, "ApiReachingIntoCore");
        assertViolated(noReachingIntoOtherInternals(), broken, "SocketTransportReachingIntoCore");
    }

    private static void assertViolated(ArchRule rule, JavaClasses classes, String culprit) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation() && result.getFailureReport().toString().contains(culprit),
                "rule not violated by " + culprit + ": " + rule.getDescription());
    }
}
