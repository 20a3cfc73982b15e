package io.nodelock.account.web;

import io.nodelock.account.Account;
import io.nodelock.account.ApiTokens;
import io.nodelock.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates API calls by {@code Authorization: Bearer nlk_...}; an unknown token simply stays anonymous (401 later). */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final ApiTokens tokens;

    BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<ApiTokens.Valid> account;
            try {
                account = tokens.validate(header.substring(7).trim());
            } catch (DataAccessException e) {
                // The caller did nothing wrong and may well hold a valid token: neither 401 nor 500, but "try again".
                log.warn("Cannot check an API token, database unavailable: {}", e.toString());
                Problems.write(response, Problems.unavailable(), Problems.instance(request));
                return;
            }
            account.ifPresent(valid -> {
                var authorities = new java.util.ArrayList<>(valid.account().roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
                if (valid.scope() == ApiTokens.Scope.READ) {
                    authorities.add(new SimpleGrantedAuthority(PortalAuthenticationProvider.READ_ONLY));
                }
                var authentication = new UsernamePasswordAuthenticationToken(valid.account(), null, authorities);
                SecurityContextHolder.getContext().setAuthentication(authentication);
            });
        }
        chain.doFilter(request, response);
    }
}
