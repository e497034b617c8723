package io.ferry.orchestrator;

import io.ferry.support.PortFile;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The ferry orchestrator: drives every migration through its six stages and keeps the event log. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(PortFile.class)
public class OrchestratorApplication {
    public static void main(String[] args) {
        SpringApplication.run(OrchestratorApplication.class, args);
    }
}
