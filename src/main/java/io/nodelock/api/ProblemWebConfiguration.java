package io.nodelock.api;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/** Problem documents from the layers below Spring MVC: Tomcat's error reports and Spring Security's firewall. */
@Configuration(proxyBeanMethods = false)
class ProblemWebConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // Installed now and named too: the host adds its configured valve class on start only if absent.
                host.getPipeline().addValve(new ProblemErrorReportValve());
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            } else {
                throw new IllegalStateException("Tomcat context without a host: cannot install the problem error report valve");
            }
        });
    }

    /** The firewall's refusals (encoded slashes, {@code ;}, {@code ..}, control characters) are the client's mistakes: 400. */
    @Bean
    RequestRejectedHandler problemForRejectedRequests() {
        return (request, response, rejected) -> Problems.write(response, ApiExceptionHandler.rejection(request),
                Problems.instance(request));
    }
}
