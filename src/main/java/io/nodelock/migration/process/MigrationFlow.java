package io.nodelock.migration.process;

import io.nodelock.workflow.FlowDeclaration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Publishes the flow's declaration, so shared parts (engine grants) learn of the flow without naming it. */
@Configuration(proxyBeanMethods = false)
class MigrationFlow {

    @Bean
    FlowDeclaration migrationFlowDeclaration() {
        return MigrationProcess.FLOW;
    }
}
