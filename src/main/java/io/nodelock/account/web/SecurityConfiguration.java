package io.nodelock.account.web;

import io.nodelock.account.ApiTokens;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.operaton.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.operaton.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Three doors: the customer/operator API ({@code /api/**}, bearer tokens), the engine's REST API
 * ({@code /engine-rest/**}, HTTP Basic against engine users, with engine authorizations on), and the engine's
 * webapps ({@code /operaton/**}, which run their own login and CSRF protection).
 */
@Configuration
@EnableMethodSecurity
public class SecurityConfiguration {

    private static final String PROBLEM_401 = """
            {"type":"https://nodelock.io/problems/unauthenticated","title":"Unauthenticated","status":401,\
            "detail":"Send an API token: 'Authorization: Bearer nlk_...'."}""";
    private static final String PROBLEM_403 = """
            {"type":"https://nodelock.io/problems/forbidden","title":"Forbidden","status":403,\
            "detail":"Your account is not allowed to do this."}""";

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/api/v1/keys", "/api/v1/keys/**", "/api/v1/eulas", "/api/v1/eulas/**").permitAll()
                        // Devices sign each Call Home request with their certified key instead of sending a token.
                        .requestMatchers(HttpMethod.POST, "/api/v1/call-home").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> {
                            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                            response.setHeader("WWW-Authenticate", "Bearer realm=\"nodelock\"");
                            response.setContentType("application/problem+json");
                            response.getWriter().write(PROBLEM_401);
                        })
                        .accessDeniedHandler((request, response, ex) -> {
                            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                            response.setContentType("application/problem+json");
                            response.getWriter().write(PROBLEM_403);
                        }));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain management(HttpSecurity http, ApiTokens tokens) throws Exception {
        // Health for load balancers; metrics carry business figures, so they need an operator's token.
        http.securityMatcher("/actuator/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().hasRole("OPERATOR"))
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> {
                    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"nodelock\"");
                    response.setContentType("application/problem+json");
                    response.getWriter().write(PROBLEM_401);
                }));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        // The engine's REST API is guarded by the engine's own filter below; the webapps by their own login.
        // The engine's "verify a user's password" resources check any user name's password for any signed-in engine
        // user, answering 200 either way: an unthrottled password oracle. Nodelock uses neither.
        http.csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/engine-rest/identity/verify", "/operaton/api/engine/engine/*/identity/verify").denyAll()
                        .anyRequest().permitAll());
        return http.build();
    }

    @Bean
    FilterRegistrationBean<LoginThrottle> loginThrottle(LoginThrottleProperties properties) {
        FilterRegistrationBean<LoginThrottle> registration = new FilterRegistrationBean<>(new LoginThrottle(properties, Clock.systemUTC()));
        // The engine REST API (HTTP Basic on every call) and the webapps' sign-in form.
        registration.addUrlPatterns("/engine-rest/*", "/operaton/api/admin/auth/user/*");
        registration.setName("staff-login-throttle");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 90);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.addUrlPatterns("/engine-rest/*");
        registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
        registration.setName("engine-rest-authentication");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }
}
