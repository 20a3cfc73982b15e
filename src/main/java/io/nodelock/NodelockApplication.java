package io.nodelock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NodelockApplication {

    public static void main(String[] args) {
        SpringApplication.run(NodelockApplication.class, args);
    }
}
