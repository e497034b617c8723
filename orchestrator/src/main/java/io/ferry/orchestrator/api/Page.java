package io.ferry.orchestrator.api;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** One page of a list the API serves, newest first, with the total the filters match. */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** One page of {@code select} (ordered, without limit), and the total that {@code count} finds. */
    public static <T> Page<T> query(JdbcTemplate jdbc, String count, String select, List<Object> args,
            RowMapper<T> mapper, int page, int size) {
        Long total = jdbc.queryForObject(count, Long.class, args.toArray());
        List<Object> paged = new ArrayList<>(args);
        paged.add(size);
        paged.add((long) page * size);
        List<T> items = jdbc.query(select + " limit ? offset ?", mapper, paged.toArray());
        return new Page<>(items, page, size, total == null ? 0 : total);
    }
}
