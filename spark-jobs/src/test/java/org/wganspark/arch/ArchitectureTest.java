package org.wganspark.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages' dependency rules (docs/architecture.md): each layer uses only the layers below it, so a newcomer can
 * change one room without the house falling in. A violation names the class and the dependency.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.wganspark");
    }

    @Test
    void layersUseOnlyTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Kernels").definedBy("org.wganspark.ot", "org.wganspark.ot.cost..", "org.wganspark.ot.exact..", "org.wganspark.ot.entropic..",
                        "org.wganspark.ot.sliced..", "org.wganspark.ot.patch..", "org.wganspark.ot.loss..", "org.wganspark.ot.means..")
                .layer("Io").definedBy("org.wganspark.io..")
                .layer("Data").definedBy("org.wganspark.data..")
                .layer("OtSpark").definedBy("org.wganspark.ot.spark..")
                .layer("Model").definedBy("org.wganspark.model..")
                .layer("Eval").definedBy("org.wganspark.eval..")
                .layer("Objective").definedBy("org.wganspark.train.objective..")
                .layer("Step").definedBy("org.wganspark.train.step")
                .layer("StepCpu").definedBy("org.wganspark.train.step.cpu..")
                .layer("Local").definedBy("org.wganspark.train.local..")
                .layer("Dist").definedBy("org.wganspark.train.dist..")
                .layer("Spark").definedBy("org.wganspark.spark..")
                .layer("Experiment").definedBy("org.wganspark.experiment..")
                .layer("Cli").definedBy("org.wganspark.cli..")
                .whereLayer("Kernels").mayNotAccessAnyLayer()
                .whereLayer("Io").mayNotAccessAnyLayer()
                .whereLayer("Data").mayOnlyAccessLayers("Io", "Kernels")
                .whereLayer("OtSpark").mayOnlyAccessLayers("Kernels", "Data", "Io")
                .whereLayer("Model").mayOnlyAccessLayers("Data", "Io", "Kernels")
                .whereLayer("Eval").mayOnlyAccessLayers("Kernels", "OtSpark", "Data", "Io")
                .whereLayer("Objective").mayOnlyAccessLayers("Model", "Kernels", "Data", "Io")
                .whereLayer("Step").mayOnlyAccessLayers("StepCpu", "Objective", "Model", "Kernels", "Data", "Io")
                .whereLayer("StepCpu").mayOnlyAccessLayers("Step", "Objective", "Model", "Kernels", "Data", "Io")
                .whereLayer("Local").mayOnlyAccessLayers("Step", "Objective", "Model", "Kernels", "Data", "Io")
                .whereLayer("Dist").mayOnlyAccessLayers("Local", "Step", "Objective", "Model", "Kernels", "Data", "Io")
                .whereLayer("Spark").mayOnlyAccessLayers("Dist", "OtSpark", "Kernels", "Data", "Io")
                .whereLayer("Experiment").mayOnlyAccessLayers("Spark", "Dist", "Local", "Step", "Objective", "Model", "Eval", "OtSpark", "Kernels",
                        "Data", "Io")
                .whereLayer("Cli").mayOnlyAccessLayers("Experiment", "Spark", "Dist", "Local", "Step", "Objective", "Model", "Eval", "OtSpark",
                        "Kernels", "Data", "Io")
                .check(classes);
    }

    @Test
    void onlyTheKernelChoiceReachesTheHandWrittenSteps() {
        noClasses().that().resideInAPackage("org.wganspark.train.step").and().doNotHaveSimpleName("StepKernels")
                .should().dependOnClassesThat().resideInAPackage("org.wganspark.train.step.cpu..")
                .check(classes);
    }

    @Test
    void onlyTheCliReadsTheConfigFiles() {
        noClasses().that().resideOutsideOfPackage("org.wganspark.cli..").should().dependOnClassesThat().resideInAPackage("com.typesafe.config..")
                .check(classes);
    }

    @Test
    void theOtKernelsKnowNeitherSparkNorDl4j() {
        noClasses().that().resideInAnyPackage("org.wganspark.ot", "org.wganspark.ot.cost..", "org.wganspark.ot.exact..", "org.wganspark.ot.entropic..",
                        "org.wganspark.ot.sliced..", "org.wganspark.ot.patch..", "org.wganspark.ot.loss..", "org.wganspark.ot.means..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.deeplearning4j..", "org.nd4j..")
                .check(classes);
    }
}
