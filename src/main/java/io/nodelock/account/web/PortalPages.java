package io.nodelock.account.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Short addresses of the portal's static pages: the sign-in page and the application's start page. */
@Configuration
class PortalPages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/portal/login").setViewName("forward:/portal/login.html");
        registry.addViewController("/portal").setViewName("redirect:/portal/");
        registry.addViewController("/portal/").setViewName("forward:/portal/index.html");
    }
}
