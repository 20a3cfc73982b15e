package io.nodelock.account.web;

import io.nodelock.account.AccountUsers;
import io.nodelock.account.Accounts;
import io.nodelock.account.ApiTokens;
import io.nodelock.account.Passwords;
import io.nodelock.account.SignInGuard;
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
import java.util.LinkedHashMap;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Four doors: the customer portal ({@code /portal/**}, form sign-in and a session), the customer/operator API
 * ({@code /api/**}, bearer tokens or a portal session), the engine's REST API
 * ({@code /engine-rest/**}, HTTP Basic against engine users, with engine authorizations on), and the engine's
 * webapps ({@code /operaton/**}, which run their own login and CSRF protection).
 */
@Configuration
@EnableMethodSecurity
public class SecurityConfiguration {

    private static final String PROBLEM_401 = """
            {"type":"https://nodelock.io/problems/unauthenticated","title":"Unauthenticated","status":401,\
            "detail":"Send an API token: 'Authorization: Bearer nlk_...'."}""";
    private static final String PROBLEM_401_SESSION = """
            {"type":"https://nodelock.io/problems/unauthenticated","title":"Unauthenticated","status":401,\
            "detail":"Sign in to the portal first."}""";
    private static final String PROBLEM_403_CSRF = """
            {"type":"https://nodelock.io/problems/csrf","title":"Missing CSRF token","status":403,\
            "detail":"A write with a portal session needs the X-XSRF-TOKEN header (the value of the XSRF-TOKEN cookie)."}""";
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String PROBLEM_403 = """
            {"type":"https://nodelock.io/problems/forbidden","title":"Forbidden","status":403,\
            "detail":"Your account is not allowed to do this."}""";

    /** The one CSRF cookie of portal sessions, readable by the pages' scripts, for the portal and the API alike. */
    private static CookieCsrfTokenRepository csrfTokens() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookiePath("/");
        return repository;
    }

    @Bean
    PortalAuthenticationProvider portalAuthentication(AccountUsers users, Accounts accounts, Passwords passwords, SignInGuard guard) {
        return new PortalAuthenticationProvider(users, accounts, passwords, guard);
    }

    /**
     * The customer portal: form sign-in, a session cookie, CSRF on every write (cookie {@code XSRF-TOKEN}, header
     * {@code X-XSRF-TOKEN}). Its pages are static files; the data they show and the requests they send go through the
     * REST API below with the same session.
     */
    @Bean
    @Order(0)
    SecurityFilterChain portal(HttpSecurity http, PortalAuthenticationProvider provider, AccountUsers users, Accounts accounts)
            throws Exception {
        http.securityMatcher("/portal", "/portal/**")
                // This provider alone, with no parent: a refused password is counted once, and nothing else signs in here.
                .authenticationManager(new ProviderManager(provider))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens()).csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(new PrincipalChecks(users, accounts), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/portal/login", "/portal/login.html", "/portal/invitation.html", "/portal/reset.html",
                                "/portal/assets/**", "/portal/vendor/**", "/portal/api/invitation", "/portal/api/password-reset",
                                "/portal/api/password").permitAll()
                        .anyRequest().hasRole("CUSTOMER"))
                .formLogin(form -> form.loginPage("/portal/login").loginProcessingUrl("/portal/login")
                        .usernameParameter("username").passwordParameter("password")
                        .defaultSuccessUrl("/portal/", true)
                        .failureHandler((request, response, ex) -> response.sendRedirect(request.getContextPath()
                                + "/portal/login?error=" + (ex instanceof LockedException ? "locked" : "bad")))
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/portal/logout").logoutSuccessUrl("/portal/login?logout")
                        .deleteCookies("JSESSIONID"))
                .exceptionHandling(e -> e.authenticationEntryPoint(portalEntryPoint()));
        return http.build();
    }

    /** Pages send the browser to the sign-in form; the portal's own JSON endpoints answer 401 problem details. */
    private static AuthenticationEntryPoint portalEntryPoint() {
        LinkedHashMap<RequestMatcher, AuthenticationEntryPoint> entryPoints = new LinkedHashMap<>();
        entryPoints.put(request -> request.getRequestURI().startsWith(request.getContextPath() + "/portal/api/"), (request, response, ex) -> {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/problem+json");
            response.getWriter().write(PROBLEM_401_SESSION);
        });
        DelegatingAuthenticationEntryPoint entryPoint = new DelegatingAuthenticationEntryPoint(entryPoints);
        entryPoint.setDefaultEntryPoint(new LoginUrlAuthenticationEntryPoint("/portal/login"));
        return entryPoint;
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, AccountUsers users, Accounts accounts) throws Exception {
        http.securityMatcher("/api/**")
                // A portal session authenticates API calls too (the pages call the API); a token never creates one.
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .securityContext(c -> c.securityContextRepository(new HttpSessionSecurityContextRepository()))
                // CSRF guards what a browser sends on its own: writes that ride on a session cookie. Token calls and
                // devices' Call Home requests carry no cookie a third site could borrow.
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens()).csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(request -> !SAFE_METHODS.contains(request.getMethod())
                                && request.getHeader("Authorization") == null && request.getRequestedSessionId() != null))
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new PrincipalChecks(users, accounts), AnonymousAuthenticationFilter.class)
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
                            response.getWriter().write(ex instanceof org.springframework.security.web.csrf.CsrfException ? PROBLEM_403_CSRF
                                    : PROBLEM_403);
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
