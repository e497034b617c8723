package io.ferry.orchestrator.limits;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over its limit with 413 and a problem+json naming the limit, before anything reads it
 * (authentication included): a body announced too large is not read at all, and one sent without a length is read
 * up to the limit only. (Tomcat then drains what is left up to server.tomcat.max-swallow-size, 2 MB, and closes
 * the connection after a larger one.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimitFilter extends OncePerRequestFilter {
    static final String REPLAY_PATH = "/api/replay";
    private final BodyLimits limits;

    BodySizeLimitFilter(BodyLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean replay = REPLAY_PATH.equals(request.getRequestURI());
        long limit = (replay ? limits.maxReplayBodySize() : limits.maxBodySize()).toBytes();
        String property = replay ? "ferry.orchestrator.max-replay-body-size" : "ferry.orchestrator.max-body-size";
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge(request, response, limit, property, declared + " bytes");
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                tooLarge(request, response, limit, property, "more than " + limit + " bytes");
                return;
            }
            chain.doFilter(new ReadBody(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long limit, String property,
            String size) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/problem+json");
        String detail = "the body of " + request.getMethod() + " " + request.getRequestURI() + " is " + size
                + ", over the limit of " + limit + " bytes (" + property + ")";
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"request body too large\",\"status\":413,"
                + "\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"reason\":\"BODY_TOO_LARGE\","
                + "\"limitBytes\":" + limit + ",\"limitProperty\":\"" + property + "\"}");
    }

    /** A request whose body was read already, to be read again from memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already; read it blocking");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
