package io.ferry.agent;

import io.ferry.support.PortFile;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A ferry host agent: runs the migration stages for the VMs of one host. */
// An agent keeps no database; excluded by name so sharing a classpath with the orchestrator (tests, the CLI) is safe.
@SpringBootApplication(excludeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConfigurationPropertiesScan
@EnableScheduling
@Import(PortFile.class)
public class HostAgentApplication {
    public static void main(String[] args) {
        SpringApplication.run(HostAgentApplication.class, args);
    }
}
