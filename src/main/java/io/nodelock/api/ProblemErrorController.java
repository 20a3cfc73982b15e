package io.nodelock.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Replaces Spring Boot's BasicErrorController, which answers its own JSON shape (and {@code status: 999}, a 500, when
 * {@code /error} is called directly). Errors that escape the filters and servlets end here and leave as problem
 * documents, whatever the {@code Accept} header says.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ErrorAttributes errorAttributes;

    ProblemErrorController(ErrorAttributes errorAttributes) {
        this.errorAttributes = errorAttributes;
    }

    @RequestMapping
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri instanceof String s && s.length() <= 2000 && Problems.isPrintableAscii(s) ? s : null;
        ApiProblem problem;
        if (code == null && error == null) {
            // Called directly: there is no error to report, and no page at this path for clients.
            problem = ApiProblem.notFound("Resource", request.getRequestURI());
            instance = Problems.instance(request);
        } else if (error != null && Unavailable.isDatabaseUnavailable(error)) {
            log.warn("Database unavailable on {}: {}", instance, error.toString());
            problem = Problems.unavailable();
        } else if (error != null && hasCause(error, RequestRejectedException.class)) {
            problem = ApiExceptionHandler.rejection(request);
        } else {
            int status = code instanceof Integer i ? i : HttpStatus.INTERNAL_SERVER_ERROR.value();
            problem = Problems.forStatus(status);
            if (problem.status().is5xxServerError()) {
                log.error("Unexpected error {} on {}", problem.properties().get("reference"), instance, error);
            }
        }
        Problems.write(response, problem, instance);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
