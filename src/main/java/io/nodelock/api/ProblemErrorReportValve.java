package io.nodelock.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word on a request no servlet answered: a path it cannot decode ({@code %00}, {@code %2F}), a request
 * line or headers too large, a refused method. Tomcat's own valve writes an HTML page there; this one writes a problem
 * document, for every path, since the path may be the very thing that could not be read.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ApiProblem problem = Problems.forStatus(status);
        if (status >= 500) {
            container.getLogger().error("Unhandled error " + problem.properties().get("reference"), throwable);
        }
        try {
            response.setContentType(Problems.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(problem, null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is already under way: nothing left to tell it
        }
    }
}
